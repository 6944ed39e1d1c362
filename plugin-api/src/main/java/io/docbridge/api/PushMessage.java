package io.docbridge.api;

import java.util.List;
import java.util.Objects;

/** What a remote service sent to a drive type's notification address, as the type read it. */
public sealed interface PushMessage {

    /** The service checks the address can be reached: the host answers 200 with {@code answer} as plain text. */
    record Validation(String answer) implements PushMessage {
        public Validation {
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * Something changed under these subscriptions. Hints only: the host checks each {@link Hint#clientState()}
     * against the one it chose, and then reads the drive's change feed.
     */
    record Changed(List<Hint> hints) implements PushMessage {
        public Changed {
            hints = List.copyOf(hints);
        }
    }

    /**
     * @param subscriptionId the {@link PushSubscription#id()} the service names
     * @param clientState    the secret the host gave when subscribing, as the service sent it back; may be empty
     */
    record Hint(String subscriptionId, String clientState) {
        public Hint {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            clientState = clientState == null ? "" : clientState;
        }
    }
}
