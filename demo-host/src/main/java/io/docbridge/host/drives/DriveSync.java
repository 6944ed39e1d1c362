package io.docbridge.host.drives;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import io.docbridge.host.drives.FileIndex;
import io.docbridge.api.PluginException;
import io.docbridge.host.tasks.SyncTask;
import io.docbridge.api.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the file index of one external drive up to date from the drive's change feed: page by page, each page
 * applied together with the cursor after it, so a crash repeats a page and never loses one. The first run reads
 * the whole drive; later runs read only what changed. An expired cursor starts a resync: a full read merged into
 * the index, after which items the read did not list are removed from the index (never from the drive). A run
 * whose removals pass the {@link DeletionLimit} stops before the page that passes it and reports {@link Held}.
 * The next page is read while the current one is written.
 */
public final class DriveSync implements SyncTask {
    private static final Logger log = LoggerFactory.getLogger(DriveSync.class);

    private final String driveId;
    private final ExternalDrive drive;
    private final FileIndex index;
    private final DeletionLimit limit;
    /** {@link #indexed()}'s count, or -1 before a removal needed it. */
    private long indexedCount = -1;

    public DriveSync(String driveId, ExternalDrive drive, FileIndex index, DeletionLimit limit) {
        this.driveId = driveId;
        this.drive = drive;
        this.index = index;
        this.limit = limit;
    }

    /**
     * A sync stopped at the page that would pass its limit; that page and those after it are not applied, so the
     * items they remove stay listed until the person confirms.
     */
    public static final class Held extends RuntimeException {
        private final long removals;
        private final long indexed;

        Held(long removals, long indexed) {
            super("Paused: this sync would remove at least " + removals + " of the " + indexed + " items in My Files, "
                    + "more than it removes without asking. They stay until you confirm.");
            this.removals = removals;
            this.indexed = indexed;
        }

        public long removals() {
            return removals;
        }

        public long indexed() {
            return indexed;
        }
    }

    @Override
    public String run(TaskProgress progress) {
        String cursor = index.cursor(driveId).orElse(null);
        try {
            return read(cursor, progress, false);
        } catch (PluginException e) {
            if (e.kind() != ErrorKind.CURSOR_EXPIRED) {
                throw e;
            }
            log.info("Sync position of drive {} expired; reading the whole drive again", driveId);
            index.beginResync(driveId);
            return read(null, progress, true);
        }
    }

    private String read(String cursor, TaskProgress progress, boolean resync) {
        long read = 0; // every change read is applied, so one count serves both
        indexedCount = -1;
        boolean checked = resync || limit.equals(DeletionLimit.NONE);
        ChangePage page;
        progress.report(0, 0, resync ? "Resyncing: reading the whole drive" : cursor == null
                ? "Reading the whole drive" : "Reading changes");
        NextPage next = new NextPage(drive.changes(cursor, progress));
        try {
            do {
                page = next.take();
                // The next page is read while this one is written to the index: on two cores a first sync then
                // costs about what the slower of the two does, not their sum. Pages are still applied in order,
                // each with its cursor.
                next = page.hasMore() ? new NextPage(page.cursor(), progress) : null;
                long here = checked ? 0 : index.removals(driveId, page.changes());
                if (here > 0) {
                    checked = true;
                    long removals = removalsFrom(page, here, indexed(), progress);
                    if (limit.exceededBy(removals, indexed())) {
                        throw new Held(removals, indexed());
                    }
                }
                index.apply(driveId, page.changes(), page.cursor());
                cursor = page.cursor();
                read += page.changes().size();
                progress.report(read, read, "Read " + read + " changes");
            } while (page.hasMore());
        } finally {
            if (next != null) {
                next.settle(); // a page read ahead for a run that stopped: its plugin call ends before the run does
            }
        }
        // Items a resync (this run's, or an earlier held one's) did not find again leave only within the limit.
        long unseen = index.unseen(driveId);
        if (unseen > 0 && limit.exceededBy(unseen, indexed())) {
            throw new Held(unseen, indexed());
        }
        int removed = unseen > 0 ? index.finishResync(driveId) : 0;
        if (resync) {
            return "Resynced: " + read + " items read, " + removed + " no longer on the drive";
        }
        if (removed > 0) {
            return applied(read) + ", " + removed + " no longer on the drive";
        }
        return read == 0 ? "Up to date" : applied(read);
    }

    /**
     * How many items the index holds, counted when a removal first needs it (so with the pages this run applied
     * before it) and once per run: counting reads every item of the drive, a cost that a sync which removes nothing
     * does not pay (with 1,000,000 items, a few hundred milliseconds of each incremental sync).
     */
    private long indexed() {
        if (indexedCount < 0) {
            indexedCount = index.count(driveId);
        }
        return indexedCount;
    }

    private static String applied(long changes) {
        return changes == 1 ? "1 change applied" : changes + " changes applied";
    }

    /** Threads that read a sync's next page; one per running sync at most, idle ones end after a minute. */
    private static final java.util.concurrent.ExecutorService READ_AHEAD = java.util.concurrent.Executors
            .newCachedThreadPool(r -> {
                Thread t = new Thread(r, "drive-sync-read-ahead");
                t.setDaemon(true);
                return t;
            });

    /** A page of the change feed: read already, or being read on a thread of its own. */
    private final class NextPage {
        private final java.util.concurrent.CompletableFuture<ChangePage> page;

        NextPage(ChangePage read) {
            page = java.util.concurrent.CompletableFuture.completedFuture(read);
        }

        NextPage(String cursor, TaskProgress progress) {
            page = java.util.concurrent.CompletableFuture.supplyAsync(() -> drive.changes(cursor, progress),
                    READ_AHEAD);
        }

        /** The page, or what reading it threw. */
        ChangePage take() {
            try {
                return page.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }

        /** Waits for the read to end, whatever it gave. */
        void settle() {
            try {
                page.handle((p, e) -> null).join();
            } catch (RuntimeException ignored) {
                // its outcome no longer matters
            }
        }
    }

    /**
     * The removals of this page and the pages after it, read ahead without applying them (stopping once past the
     * limit), so a sync that would remove too much is held before it removes anything. Only runs that remove
     * something read ahead, and the pages are read again to apply them: delta links can be followed twice.
     */
    private long removalsFrom(ChangePage first, long removalsOfFirst, long indexed, TaskProgress progress) {
        long removals = removalsOfFirst;
        ChangePage ahead = first;
        while (ahead.hasMore() && !limit.exceededBy(removals, indexed)) {
            ahead = drive.changes(ahead.cursor(), progress);
            removals += index.removals(driveId, ahead.changes());
        }
        return removals;
    }
}
