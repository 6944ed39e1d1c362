package io.docbridge.emulator.graph;

/** A Graph error: the HTTP status, Graph's code, a message, and optionally an inner code (innerError.code). */
public final class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String innerCode;

    public GraphException(int status, String code, String message, String innerCode) {
        super(message);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
    }

    public GraphException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String innerCode() {
        return innerCode;
    }

    static GraphException itemNotFound() {
        return new GraphException(404, "itemNotFound", "The resource could not be found.");
    }
}
