package io.docbridge.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of a drive's change feed.
 *
 * @param changes in the order to apply them: a folder comes before what is in it; an item may appear more than
 *                once, and its last entry is its state
 * @param cursor  where to read on from; save it together with these changes (in one transaction), never before
 * @param hasMore true if more pages follow now; false when the feed is caught up, and {@code cursor} is then the
 *                one to read later changes from
 */
public record ChangePage(List<DriveChange> changes, String cursor, boolean hasMore) {

    public ChangePage {
        changes = List.copyOf(changes);
        Objects.requireNonNull(cursor, "cursor");
    }
}
