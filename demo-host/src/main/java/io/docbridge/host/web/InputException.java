package io.docbridge.host.web;

/** A person's input is not acceptable; names the form field so the page can show the message beside it. */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
