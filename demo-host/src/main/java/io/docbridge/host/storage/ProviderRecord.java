package io.docbridge.host.storage;

import io.docbridge.api.Health;

import java.time.Instant;
import java.util.Map;

/**
 * A configured storage provider as Settings → Storage shows it.
 *
 * @param typeName  the type's display name, or its id if no running plugin offers it
 * @param available whether a running plugin (or the host) offers the type
 * @param revisions how many revisions are stored in it
 * @param reconnectUrl where to sign in again, when the type has a sign-in; empty otherwise
 * @param details   what its type says about its settings (label to value), for its card
 */
public record ProviderRecord(String id, String typeId, String typeName, String name, boolean isDefault,
                             Health health, boolean available, long revisions, Instant createdAt, String reconnectUrl,
                             Map<String, String> details) {
}
