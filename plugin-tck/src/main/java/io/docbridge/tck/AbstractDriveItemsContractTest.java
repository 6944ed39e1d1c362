package io.docbridge.tck;

import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Items of an {@link ExternalDrive}: folders, upload, download, rename, move, delete. */
public abstract class AbstractDriveItemsContractTest extends AbstractDriveContractTest {

    private Map<String, DriveItem> childrenByName(DriveItem parent) {
        return drive.children(parent.id()).stream().collect(Collectors.toMap(DriveItem::name, i -> i));
    }

    @Test
    void rootIsAFolderWithoutParent() {
        DriveItem root = drive.root();

        assertTrue(root.folder());
        assertTrue(root.root());
    }

    @Test
    void createdFolderIsListedInItsParent() {
        DriveItem sub = drive.createFolder(folder.id(), "Drawings", ConflictBehavior.FAIL);

        assertTrue(sub.folder());
        assertEquals(folder.id(), sub.parentId());
        assertEquals(List.of("Drawings"), List.copyOf(childrenByName(folder).keySet()));
    }

    @Test
    void uploadThenDownloadReturnsTheSameBytes() {
        DriveItem file = upload(folder, "notes.txt", "minutes of the kick-off meeting");

        assertFalse(file.folder());
        assertEquals(31, file.size());
        assertEquals(folder.id(), file.parentId());
        assertEquals("minutes of the kick-off meeting", download(file.id()));
    }

    @Test
    void uploadOfATakenNameWithFailThrowsConflictAndKeepsTheOriginal() {
        DriveItem original = upload(folder, "a.txt", "original");

        assertFailsWith(ErrorKind.CONFLICT, () -> upload(folder, "a.txt", "intruder"));

        assertEquals("original", download(original.id()));
    }

    @Test
    void uploadOfATakenNameWithReplaceReplacesTheContent() {
        upload(folder, "a.txt", "old");

        DriveItem replaced = drive.upload(folder.id(), "a.txt", new ByteArrayInputStream("new!".getBytes()), 4,
                ConflictBehavior.REPLACE, null);

        assertEquals("new!", download(replaced.id()));
        assertEquals(1, drive.children(folder.id()).size());
    }

    @Test
    void uploadOfATakenNameWithRenameKeepsBoth() {
        upload(folder, "a.txt", "first");

        DriveItem second = drive.upload(folder.id(), "a.txt", new ByteArrayInputStream("second".getBytes()), 6,
                ConflictBehavior.RENAME, null);

        assertNotEquals("a.txt", second.name());
        assertEquals(2, drive.children(folder.id()).size());
        assertEquals("second", download(second.id()));
    }

    @Test
    void anUploadKeepsTheModifiedTimeItWasGiven() {
        java.time.Instant modified = java.time.Instant.parse("2021-08-09T10:11:12Z");

        DriveItem uploaded = drive.upload(folder.id(), "dated.txt", new ByteArrayInputStream("d".getBytes()), 1,
                ConflictBehavior.FAIL, modified);

        assertEquals(modified, uploaded.modified());
        assertEquals(modified, drive.children(folder.id()).get(0).modified());
    }

    @Test
    void replaceWithTheVersionLastSeenReplacesTheContentAndKeepsTheId() {
        DriveItem original = upload(folder, "a.txt", "old");

        DriveItem replaced = drive.replace(original.id(), new ByteArrayInputStream("new!".getBytes()), 4,
                original.version(), null);

        assertEquals(original.id(), replaced.id());
        assertNotEquals(original.version(), replaced.version());
        assertEquals("new!", download(original.id()));
    }

    @Test
    void replaceOfAFileChangedSinceItWasSeenThrowsChangedSinceReadAndWritesNothing() {
        DriveItem seen = upload(folder, "a.txt", "seen");
        drive.replace(seen.id(), new ByteArrayInputStream("theirs".getBytes()), 6, seen.version(), null);

        assertFailsWith(ErrorKind.CHANGED_SINCE_READ, () -> drive.replace(seen.id(),
                new ByteArrayInputStream("mine".getBytes()), 4, seen.version(), null));

        assertEquals("theirs", download(seen.id()));
        assertEquals(1, drive.children(folder.id()).size());
    }

    @Test
    void uploadWithAWrongDeclaredSizeThrowsInvalidInputAndLeavesNothing() {
        assertFailsWith(ErrorKind.INVALID_INPUT, () -> drive.upload(folder.id(), "short.txt",
                new ByteArrayInputStream("abc".getBytes()), 10, ConflictBehavior.FAIL, null));

        assertTrue(drive.children(folder.id()).isEmpty());
    }

    @Test
    void nameWithASlashIsNotAllowed() {
        assertFailsWith(ErrorKind.NAME_NOT_ALLOWED,
                () -> drive.createFolder(folder.id(), "a/b", ConflictBehavior.FAIL));
    }

    @Test
    void childrenOfAMissingFolderThrowsNotFound() {
        DriveItem sub = drive.createFolder(folder.id(), "gone", ConflictBehavior.FAIL);
        drive.delete(sub.id());

        assertFailsWith(ErrorKind.NOT_FOUND, () -> drive.children(sub.id()));
    }

    @Test
    void downloadOfAMissingFileThrowsNotFound() {
        DriveItem file = upload(folder, "gone.txt", "x");
        drive.delete(file.id());

        assertFailsWith(ErrorKind.NOT_FOUND, () -> drive.download(file.id()));
    }

    @Test
    void renameKeepsTheIdAndTheContent() {
        DriveItem file = upload(folder, "draft.txt", "text");

        DriveItem renamed = drive.move(file.id(), null, "final.txt");

        assertEquals(file.id(), renamed.id());
        assertEquals("final.txt", renamed.name());
        assertEquals(List.of("final.txt"), List.copyOf(childrenByName(folder).keySet()));
        assertEquals("text", download(file.id()));
    }

    @Test
    void moveChangesTheParentAndKeepsTheId() {
        DriveItem target = drive.createFolder(folder.id(), "Archive", ConflictBehavior.FAIL);
        DriveItem file = upload(folder, "old.txt", "old");

        DriveItem moved = drive.move(file.id(), target.id(), null);

        assertEquals(file.id(), moved.id());
        assertEquals(target.id(), moved.parentId());
        assertEquals(List.of("old.txt"), List.copyOf(childrenByName(target).keySet()));
    }

    @Test
    void moveOntoATakenNameThrowsConflict() {
        upload(folder, "a.txt", "a");
        DriveItem b = upload(folder, "b.txt", "b");

        assertFailsWith(ErrorKind.CONFLICT, () -> drive.move(b.id(), null, "a.txt"));
    }

    @Test
    void deleteOfAFolderRemovesWhatItHolds() {
        DriveItem sub = drive.createFolder(folder.id(), "sub", ConflictBehavior.FAIL);
        DriveItem file = upload(sub, "inner.txt", "x");

        drive.delete(sub.id());

        assertTrue(drive.children(folder.id()).isEmpty());
        assertFailsWith(ErrorKind.NOT_FOUND, () -> drive.download(file.id()));
    }

    @Test
    void deleteOfAMissingItemThrowsNotFound() {
        DriveItem file = upload(folder, "once.txt", "x");
        drive.delete(file.id());

        assertFailsWith(ErrorKind.NOT_FOUND, () -> drive.delete(file.id()));
    }
}
