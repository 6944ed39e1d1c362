package io.docbridge.tck;

import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link ExternalDrive#changes}: a full read, then only what changed, by id. */
public abstract class AbstractChangeFeedContractTest extends AbstractDriveContractTest {

    @Test
    void aFullReadListsEveryItem() {
        DriveItem sub = drive.createFolder(folder.id(), "sub", ConflictBehavior.FAIL);
        DriveItem file = upload(sub, "f.txt", "f");

        FeedRead read = readFeed(null);

        assertTrue(read.latest().containsKey(folder.id()));
        assertTrue(read.latest().containsKey(sub.id()));
        assertEquals("f.txt", read.latest().get(file.id()).item().name());
        assertFalse(read.latest().get(file.id()).isDeleted());
    }

    @Test
    void aCaughtUpCursorListsOnlyWhatChangedSince() {
        DriveItem untouched = upload(folder, "untouched.txt", "u");
        String cursor = readFeed(null).cursor();

        DriveItem added = upload(folder, "added.txt", "a");
        FeedRead read = readFeed(cursor);

        assertTrue(read.latest().containsKey(added.id()));
        assertFalse(read.latest().containsKey(untouched.id()), "an unchanged item was listed again");
    }

    @Test
    void nothingChangedMeansNoChanges() {
        upload(folder, "f.txt", "f");
        String cursor = readFeed(null).cursor();

        FeedRead read = readFeed(cursor);

        assertTrue(read.all().isEmpty(), () -> "listed " + read.all());
    }

    @Test
    void aRenameOrMoveIsListedUnderTheSameId() {
        DriveItem target = drive.createFolder(folder.id(), "target", ConflictBehavior.FAIL);
        DriveItem file = upload(folder, "before.txt", "x");
        String cursor = readFeed(null).cursor();

        drive.move(file.id(), target.id(), "after.txt");
        DriveChange change = readFeed(cursor).latest().get(file.id());

        assertEquals("after.txt", change.item().name());
        assertEquals(target.id(), change.item().parentId());
    }

    @Test
    void aDeleteIsListedAsDeleted() {
        DriveItem file = upload(folder, "doomed.txt", "x");
        String cursor = readFeed(null).cursor();

        drive.delete(file.id());
        DriveChange change = readFeed(cursor).latest().get(file.id());

        assertTrue(change.isDeleted());
    }

    @Test
    void anEditIsListedWithTheNewVersion() {
        DriveItem file = upload(folder, "doc.txt", "v1");
        String cursor = readFeed(null).cursor();

        drive.upload(folder.id(), "doc.txt", new java.io.ByteArrayInputStream("version 2".getBytes()), 9,
                ConflictBehavior.REPLACE, null);
        DriveChange change = readFeed(cursor).latest().get(file.id());

        assertEquals(9, change.item().size());
        assertFalse(change.item().version().equals(file.version()) && !file.version().isEmpty(),
                "the version tag did not change");
    }

    @Test
    void anExpiredCursorThrowsCursorExpired() {
        assumeTrue(contract.canExpireCursors(), "the drive cannot expire cursors on demand");
        String cursor = readFeed(null).cursor();

        contract.expireCursors();

        assertFailsWith(ErrorKind.CURSOR_EXPIRED, () -> drive.changes(cursor));
    }

    @Test
    void aMeaninglessCursorThrowsCursorExpired() {
        assertFailsWith(ErrorKind.CURSOR_EXPIRED, () -> drive.changes("not-a-cursor"));
    }
}
