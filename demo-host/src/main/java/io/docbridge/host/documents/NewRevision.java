package io.docbridge.host.documents;

import java.io.InputStream;
import java.time.Instant;

/**
 * A revision file on its way in.
 *
 * @param size     the exact length, or -1 if unknown
 * @param modified when the file last changed on the uploader's computer, or null if the browser did not say
 */
public record NewRevision(String code, String fileName, String contentType, long size, InputStream content,
                          Instant modified) {
}
