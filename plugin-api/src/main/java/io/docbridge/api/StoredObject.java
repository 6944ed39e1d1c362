package io.docbridge.api;

import java.util.Objects;

/**
 * Where a provider put a file. The host stores {@code key} with the revision and hands it back to
 * {@link StorageProvider#open} and {@link StorageProvider#delete}; only the provider interprets it.
 *
 * @param key      the provider's own reference (a relative path, an item id); at most 1024 characters
 * @param size     bytes stored
 * @param location a human-readable place ("Documents/PRJ-1/DOC-1/A/plan.pdf"), or a link to it; may be empty
 */
public record StoredObject(String key, long size, String location) {

    public StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(location, "location");
        if (key.isEmpty() || key.length() > 1024) {
            throw new IllegalArgumentException("key must have 1 to 1024 characters");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
