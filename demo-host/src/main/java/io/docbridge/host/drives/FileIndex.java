package io.docbridge.host.drives;

import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;

import java.util.List;
import java.util.Optional;

/**
 * The host's copy of what an external drive holds, which sync keeps in step and the host's pages read. Each drive
 * is addressed by the instance id of its connection. Safe for concurrent use.
 */
public interface FileIndex {

    /**
     * Applies one page of changes and saves the cursor after them, in one transaction: after a crash either both are
     * saved or neither is, so a sync repeats work and never loses it. Applying the same page twice gives the same
     * index. A deleted folder's descendants are removed with it; a change whose parent is unknown is kept (its
     * parent may come later in the feed).
     */
    void apply(String driveId, List<DriveChange> changes, String cursor);

    /**
     * How many indexed items applying the changes would remove: the deleted items and everything below them. Reads
     * only; a sync asks this before a page that would empty much of the drive.
     */
    long removals(String driveId, List<DriveChange> changes);

    /** The cursor saved with the last applied page, if any. */
    Optional<String> cursor(String driveId);

    /**
     * Starts a resync: forgets the cursor and marks every indexed item as unseen. Items the next full read lists
     * again are kept; {@link #finishResync} removes those it did not.
     */
    void beginResync(String driveId);

    /**
     * Ends a resync: removes the items no page listed since {@link #beginResync}, and returns how many it removed.
     */
    int finishResync(String driveId);

    /**
     * How many items a resync has not listed again (yet): what {@link #finishResync} would remove. Zero outside a
     * resync. A sync checks it against its deletion limit before finishing, and a held resync stays pending (the
     * items stay marked) until a later run finishes it.
     */
    long unseen(String driveId);

    Optional<DriveItem> item(String driveId, String itemId);

    /** The items in a folder, folders first, then by name. */
    List<DriveItem> children(String driveId, String folderId);

    /** The folders directly in a folder, by name (the move targets a folder's page offers). */
    List<DriveItem> childFolders(String driveId, String folderId);

    /** How a folder's page is ordered (folders always first) and which names it shows. */
    enum Order { NAME, SIZE, MODIFIED }

    /**
     * One page of a folder, ordered in the database: folders first, then by {@code order} (ties by name), only
     * names containing {@code filter} (ignoring case; empty for all), from {@code offset}, at most {@code limit}.
     */
    List<DriveItem> page(String driveId, String folderId, Order order, boolean descending, String filter, int offset,
                         int limit);

    /** How many items are indexed for the drive. */
    long count(String driveId);

    /**
     * Removes up to {@code limit} of the drive's items, in one short transaction, and its cursor once none are left;
     * returns how many items it removed. A disconnected drive's index goes in such turns, so that nobody waits for a
     * drive of 100,000 items to leave, and nothing else waits for one long transaction. Remote files are not touched.
     */
    int removeSome(String driveId, int limit);

    /** Rows one transaction changes when work covers a whole drive (a resync, a removal): a tenth of a second on H2. */
    int TURN = 1_000;
}
