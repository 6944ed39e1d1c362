package io.docbridge.host.drives;

import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;
import io.docbridge.host.db.Database;
import io.docbridge.host.testing.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deleted folder with 70,000 items below it leaves the index in a few statements, on H2 and on PostgreSQL: more
 * ids than PostgreSQL takes as parameters of one statement (65,535), which a list of ids could not do. A
 * disconnected drive's index leaves in turns of a few items on both.
 */
class DbFileIndexScaleTest {
    static final int FOLDERS = 70;
    static final int FILES_EACH = 1_000;

    @TempDir
    Path dir;

    static DriveItem item(String id, String parent, boolean folder) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new DriveItem(id, parent, id, folder, 0, now, now, "", "v1", "");
    }

    static void aFolderWithSeventyThousandItemsIsRemovedAtOnce(Database database) {
        DbFileIndex index = new DbFileIndex(database.jdbi());
        List<DriveChange> changes = new ArrayList<>();
        changes.add(DriveChange.upserted(item("big", "root", true)));
        changes.add(DriveChange.upserted(item("kept", "root", false)));
        for (int f = 0; f < FOLDERS; f++) {
            changes.add(DriveChange.upserted(item("f" + f, "big", true)));
            for (int i = 0; i < FILES_EACH; i++) {
                changes.add(DriveChange.upserted(item("f" + f + "-" + i, "f" + f, false)));
            }
        }
        index.apply("d", changes, "c1");
        assertEquals(2L + FOLDERS + (long) FOLDERS * FILES_EACH, index.count("d"));
        List<DriveChange> deletion = List.of(DriveChange.deleted("big"));

        assertEquals(1L + FOLDERS + (long) FOLDERS * FILES_EACH, index.removals("d", deletion));
        index.apply("d", deletion, "c2");

        assertEquals(1, index.count("d"));
        assertEquals("kept", index.children("d", "root").get(0).id());

        // A resync marks in turns and removes what the full read did not list again (PostgreSQL's UPDATE and DELETE
        // have no LIMIT of their own)
        index.apply("d", List.of(DriveChange.upserted(item("gone", "root", false))), "c3");
        index.beginResync("d");
        assertEquals(2, index.unseen("d"));
        assertTrue(index.cursor("d").isEmpty());
        index.apply("d", List.of(DriveChange.upserted(item("kept", "root", false))), "c4");
        assertEquals(1, index.finishResync("d"));
        assertEquals(List.of("kept"), index.children("d", "root").stream().map(DriveItem::id).toList());

        // A disconnected drive's index leaves in turns
        index.apply("d", List.of(DriveChange.upserted(item("more", "root", false))), "c5");
        assertEquals(1, index.removeSome("d", 1));
        assertEquals(1, index.count("d"));
        assertEquals(1, index.removeSome("d", 5));
        assertEquals(0, index.removeSome("d", 5));
        assertEquals(0, index.count("d"));
        assertTrue(index.cursor("d").isEmpty());
    }

    @Test
    void onH2() {
        try (Database database = Database.open(Database.defaultUrl(dir), "sa", "")) {
            aFolderWithSeventyThousandItemsIsRemovedAtOnce(database);
        }
    }

    @Test
    void onPostgres() throws Exception {
        try (Postgres postgres = Postgres.create();
             Database database = Database.open(postgres.url(), postgres.user(), postgres.password())) {
            aFolderWithSeventyThousandItemsIsRemovedAtOnce(database);
        }
    }
}
