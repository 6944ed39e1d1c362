package io.docbridge.emulator;

import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.graph.GraphException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A drive's children and its used bytes come from an index kept with every change (so a lookup does not scan the
 * drive): renames, moves, replacements, deletions and restores all leave it as a scan would find the drive.
 */
class DriveStoreIndexTest {
    @TempDir
    Path dir;

    private static final DriveStore.Actor ME = DriveStore.Actor.SYSTEM;

    @Test
    void childrenNamesAndUsedBytesFollowEveryChange() {
        DriveStore store = new DriveStore(dir, new EmulatorClock());
        String drive = store.addLibrary(store.addSite("c.sharepoint.com", "/sites/c", "C", Set.of()), "D", 1 << 20).id();
        String root = store.rootId(drive);
        String a = store.createFolder(drive, root, "A", "fail", ME).id();
        String b = store.createFolder(drive, root, "b", "fail", ME).id();
        String one = file(store, drive, a, "one.txt", "12345").id();
        file(store, drive, a, "Two.txt", "123");
        assertEquals(List.of("one.txt", "Two.txt"), names(store, drive, a));
        assertEquals(8, store.used(drive));

        store.update(drive, one, "Zero.txt", null, null, "fail", ME, null); // rename
        assertEquals(List.of("Two.txt", "Zero.txt"), names(store, drive, a));
        file(store, drive, a, "one.txt", "1"); // the old name is free again
        assertThrows(GraphException.class, () -> file(store, drive, a, "ZERO.TXT", "x")); // names ignore case

        store.update(drive, one, null, b, null, "fail", ME, null); // move
        assertEquals(List.of("one.txt", "Two.txt"), names(store, drive, a));
        assertEquals(List.of("Zero.txt"), names(store, drive, b));

        store.commitFile(drive, b, "Zero.txt", stage(store, "1234567890"), "replace", ME); // 5 bytes become 10
        assertEquals(14, store.used(drive));

        store.delete(drive, a, null); // a folder and what it holds
        assertEquals(List.of("b"), names(store, drive, root));
        assertEquals(10, store.used(drive));

        DriveStore restored = new DriveStore(dir, new EmulatorClock());
        restored.restore(store.snapshot());
        assertEquals(List.of("Zero.txt"), names(restored, drive, b));
        assertEquals(10, restored.used(drive));
        assertTrue(restored.itemByPath(drive, root, "b/zero.txt").name().equals("Zero.txt"));
    }

    private static DriveStore.Item file(DriveStore store, String drive, String folder, String name, String content) {
        return store.commitFile(drive, folder, name, stage(store, content), "fail", ME).item();
    }

    private static DriveStore.Staged stage(DriveStore store, String content) {
        return store.stage(new ByteArrayInputStream(content.getBytes()));
    }

    private static List<String> names(DriveStore store, String drive, String folder) {
        return store.children(drive, folder).stream().map(DriveStore.Item::name).toList();
    }
}
