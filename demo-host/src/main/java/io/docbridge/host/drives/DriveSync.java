package io.docbridge.host.drives;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.FileIndex;
import io.docbridge.api.PluginException;
import io.docbridge.api.SyncTask;
import io.docbridge.api.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the file index of one external drive up to date from the drive's change feed: page by page, each page
 * applied together with the cursor after it, so a crash repeats a page and never loses one. The first run reads
 * the whole drive; later runs read only what changed. An expired cursor starts a resync: a full read merged into
 * the index, after which items the read did not list are removed from the index (never from the drive).
 */
public final class DriveSync implements SyncTask {
    private static final Logger log = LoggerFactory.getLogger(DriveSync.class);

    private final String driveId;
    private final ExternalDrive drive;
    private final FileIndex index;

    public DriveSync(String driveId, ExternalDrive drive, FileIndex index) {
        this.driveId = driveId;
        this.drive = drive;
        this.index = index;
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
        long seen = 0;
        long applied = 0;
        ChangePage page;
        progress.report(0, 0, resync ? "Resyncing: reading the whole drive" : cursor == null
                ? "Reading the whole drive" : "Reading changes");
        do {
            page = drive.changes(cursor);
            index.apply(driveId, page.changes(), page.cursor());
            cursor = page.cursor();
            seen += page.changes().size();
            applied += page.changes().size();
            progress.report(seen, applied, "Read " + seen + " changes");
        } while (page.hasMore());
        if (resync) {
            int removed = index.finishResync(driveId);
            return "Resynced: " + seen + " items read, " + removed + " no longer on the drive";
        }
        return applied == 0 ? "Up to date" : applied + " changes applied";
    }
}
