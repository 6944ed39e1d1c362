package io.docbridge.host.documents;

import java.time.Instant;

/**
 * One version of a document's file, and where it is stored.
 *
 * @param providerId   the storage provider it was stored in; it stays there when the default changes
 * @param providerName that provider's name, for display
 * @param storageKey   the provider's own reference
 * @param location     where it is in that storage, for a person
 */
public record Revision(long id, long documentId, String code, String fileName, String contentType, long size,
                       String sha256, String providerId, String providerName, String storageKey, String location,
                       String createdBy, Instant createdAt) {
}
