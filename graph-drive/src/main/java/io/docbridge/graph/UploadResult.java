package io.docbridge.graph;

import com.microsoft.graph.models.DriveItem;

/**
 * A finished upload.
 *
 * @param item         the item as the service stored it; its size and hash are the truth
 * @param localHash    the quickXorHash of the bytes sent
 * @param hashMatches  whether the service's hash equals {@code localHash}; SharePoint rewrites Office files after
 *                     upload, so for those a mismatch is expected
 */
public record UploadResult(DriveItem item, String localHash, boolean hashMatches) {
}
