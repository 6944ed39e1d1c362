package io.docbridge.host;

/** The host cannot start; the message says why and what to check, for a person reading the console. */
public final class HostStartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
