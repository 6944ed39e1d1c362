package io.docbridge.graph;

import com.microsoft.graph.models.ChangeNotification;
import com.microsoft.graph.models.ChangeNotificationCollection;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import io.docbridge.api.PushMessage;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads what Graph sends to a notification URL (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks):
 * the validation request, whose {@code validationToken} query parameter must come back as plain text within 10
 * seconds, or a collection of change notifications, each naming its subscription and carrying the clientState given
 * when subscribing.
 */
public final class GraphPush {
    private GraphPush() {
    }

    public static Optional<PushMessage> read(Map<String, String> query, byte[] body) {
        String token = query.get("validationToken");
        if (token != null) {
            return Optional.of(new PushMessage.Validation(token));
        }
        try {
            ChangeNotificationCollection collection = new JsonParseNodeFactory()
                    .getParseNode("application/json", new ByteArrayInputStream(body))
                    .getObjectValue(ChangeNotificationCollection::createFromDiscriminatorValue);
            List<ChangeNotification> value = collection.getValue();
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PushMessage.Changed(value.stream().filter(n -> n.getSubscriptionId() != null)
                    .map(n -> new PushMessage.Hint(n.getSubscriptionId().toString(),
                            Objects.requireNonNullElse(n.getClientState(), ""))).toList()));
        } catch (RuntimeException notGraphs) {
            return Optional.empty();
        }
    }
}
