package io.docbridge.host.documents;

import java.io.InputStream;

/**
 * A revision file on its way in.
 *
 * @param size the exact length, or -1 if unknown
 */
public record NewRevision(String code, String fileName, String contentType, long size, InputStream content) {
}
