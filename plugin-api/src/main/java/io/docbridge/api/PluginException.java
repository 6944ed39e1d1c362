package io.docbridge.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one failure type that crosses the plugin boundary. A plugin turns every library or wire error into one of
 * these, in one place, with a {@link ErrorKind} and a message a person can read; library exceptions never reach the
 * host. Unchecked, so that every operation of the API may throw it; each method's javadoc says which kinds it uses.
 */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final transient Duration retryAfter;

    public PluginException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    public PluginException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    /**
     * @param retryAfter how long the service asked us to wait, for {@link ErrorKind#THROTTLED}; may be null
     */
    public PluginException(ErrorKind kind, String message, Duration retryAfter, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** How long the service asked us to wait before trying again, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
