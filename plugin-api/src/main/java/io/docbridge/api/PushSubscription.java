package io.docbridge.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A remote service's promise to tell the host when a drive changes (a Graph change-notification subscription).
 *
 * @param id      the service's id for it; notifications name it
 * @param expires when it ends unless renewed
 */
public record PushSubscription(String id, Instant expires) {
    public PushSubscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expires, "expires");
    }
}
