package io.docbridge.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What the host shows on a connection's badge.
 *
 * @param status    the badge
 * @param message   what a person reads next to it: why it failed and what to do; never a secret
 * @param checkedAt when this was established
 */
public record Health(Status status, String message, Instant checkedAt) {

    public enum Status {
        /** Never checked since it was configured. */
        UNKNOWN,
        /** A verification wrote, read back and deleted a file. */
        VERIFIED,
        /** The sign-in stopped working; a person must sign in again (Reconnect). */
        NEEDS_RECONNECT,
        /** Anything else that keeps it from working; the message says what. */
        FAILED
    }

    public Health {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    public static Health verified(String message, Instant at) {
        return new Health(Status.VERIFIED, message, at);
    }

    public static Health failed(String message, Instant at) {
        return new Health(Status.FAILED, message, at);
    }

    /** The badge for a failure: {@link Status#NEEDS_RECONNECT} when signing in again would fix it. */
    public static Health of(PluginException failure, Instant at) {
        Status status = failure.kind() == ErrorKind.AUTHENTICATION_EXPIRED ? Status.NEEDS_RECONNECT : Status.FAILED;
        return new Health(status, failure.getMessage(), at);
    }

    public boolean ok() {
        return status == Status.VERIFIED;
    }
}
