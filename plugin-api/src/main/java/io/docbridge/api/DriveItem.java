package io.docbridge.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A file or folder in an external drive, as the remote service last described it.
 *
 * @param id         the remote service's stable id; survives renames and moves
 * @param parentId   the containing folder's id; null for the drive's root
 * @param name       the name in its folder
 * @param folder     whether it is a folder
 * @param size       bytes (for a folder, what the service reports, often the total below it)
 * @param created    when it was created, UTC
 * @param modified   when it last changed, UTC
 * @param modifiedBy the display name of who changed it last; may be empty
 * @param version    a tag that changes whenever the item changes (Graph's eTag); may be empty
 * @param webUrl     where a person opens it in the remote service; may be empty
 */
public record DriveItem(String id, String parentId, String name, boolean folder, long size, Instant created,
                        Instant modified, String modifiedBy, String version, String webUrl) {

    public DriveItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(modifiedBy, "modifiedBy");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(webUrl, "webUrl");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    public boolean root() {
        return parentId == null;
    }
}
