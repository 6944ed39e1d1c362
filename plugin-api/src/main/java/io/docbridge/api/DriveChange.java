package io.docbridge.api;

import java.util.Objects;

/**
 * One entry of a change feed: an item that was created, changed, renamed or moved (its new state), or deleted.
 * Renames and moves are not told apart from edits: the item's id stays, its name or parent differs.
 *
 * @param itemId the item's id
 * @param item   its state now, or null if it was deleted
 */
public record DriveChange(String itemId, DriveItem item) {

    public DriveChange {
        Objects.requireNonNull(itemId, "itemId");
        if (item != null && !item.id().equals(itemId)) {
            throw new IllegalArgumentException("item id " + item.id() + " is not " + itemId);
        }
    }

    public static DriveChange upserted(DriveItem item) {
        return new DriveChange(item.id(), item);
    }

    public static DriveChange deleted(String itemId) {
        return new DriveChange(itemId, null);
    }

    public boolean isDeleted() {
        return item == null;
    }
}
