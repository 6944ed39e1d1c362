package io.docbridge.host.drives;

/**
 * How much a sync removes from a person's files without asking. A remote mistake (a folder moved out of the
 * synced library, a script gone wrong) shows up in the change feed as many deletions; past this limit the sync
 * stops before applying them and asks the person to confirm. Removal means from the index (My Files), never
 * from the drive.
 *
 * @param count the most removals in one sync, whatever the drive's size
 * @param share the largest share of the drive's indexed items one sync removes, once past {@code floor}
 * @param floor removals up to this many are never held back by {@code share} (small drives)
 */
public record DeletionLimit(long count, double share, long floor) {
    public static final DeletionLimit DEFAULT = new DeletionLimit(500, 0.3, 20);
    /** For a sync the person confirmed. */
    public static final DeletionLimit NONE = new DeletionLimit(Long.MAX_VALUE, 1.0, Long.MAX_VALUE);

    public boolean exceededBy(long removals, long indexed) {
        return removals > count || removals > floor && removals > share * indexed;
    }
}
