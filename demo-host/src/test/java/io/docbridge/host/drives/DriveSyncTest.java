package io.docbridge.host.drives;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.host.db.Database;
import io.docbridge.host.drives.DeletionLimit;
import io.docbridge.host.drives.DriveSync;
import io.docbridge.tck.InMemoryExternalDrive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host's file index kept in step with a drive by {@link DriveSync}, on the real database. */
class DriveSyncTest {
    @TempDir
    Path dir;
    Database database;
    DbFileIndex index;
    InMemoryExternalDrive drive;

    @BeforeEach
    void open() {
        database = Database.open(Database.defaultUrl(dir), "sa", "");
        index = new DbFileIndex(database.jdbi());
        drive = new InMemoryExternalDrive(Clock.systemUTC(), 3);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private String sync() {
        return new DriveSync("d1", drive, index, DeletionLimit.NONE).run((seen, applied, message) -> {
        });
    }

    private DriveItem file(DriveItem parent, String name, String text) {
        byte[] bytes = text.getBytes();
        return drive.upload(parent.id(), name, new ByteArrayInputStream(bytes), bytes.length, ConflictBehavior.REPLACE, null);
    }

    /** Path to version of everything below the root, from the drive itself or from the index. */
    private Map<String, String> tree(boolean fromIndex) {
        Map<String, String> result = new TreeMap<>();
        walk(drive.root().id(), "", fromIndex, result);
        return result;
    }

    private void walk(String folderId, String prefix, boolean fromIndex, Map<String, String> out) {
        for (DriveItem item : fromIndex ? index.children("d1", folderId) : drive.children(folderId)) {
            out.put(prefix + "/" + item.name(), item.folder() ? "dir" : item.version());
            if (item.folder()) {
                walk(item.id(), prefix + "/" + item.name(), fromIndex, out);
            }
        }
    }

    /** A proxy that runs {@code before} ahead of each call it passes on to {@code target}. */
    @SuppressWarnings("unchecked")
    private static <T> T watched(Class<T> type, T target, java.util.function.Consumer<String> before) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    before.accept(method.getName());
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The next page of the change feed is read while the current one is written to the index (pages of 3 here): the
     * first page's write waits for the second page's read to start, which on the old, turn-taking code never came.
     */
    @Test
    void theNextPageIsReadWhileThisOneIsWritten() {
        for (int i = 0; i < 8; i++) {
            file(drive.root(), "f" + i + ".txt", "x");
        }
        java.util.concurrent.CountDownLatch secondRead = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
        ExternalDrive reading = watched(ExternalDrive.class, drive, name -> {
            if (name.equals("changes") && reads.incrementAndGet() == 2) {
                secondRead.countDown();
            }
        });
        FileIndex writing = watched(FileIndex.class, index, name -> {
            if (name.equals("apply") && writes.incrementAndGet() == 1) {
                try {
                    overlapped.set(secondRead.await(5, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        new DriveSync("d1", reading, writing, DeletionLimit.NONE).run((seen, applied, message) -> {
        });

        assertTrue(overlapped.get(), "the second page was not read while the first was written");
        assertEquals(tree(false), tree(true));
    }

    @Test
    void aSyncThatWouldRemoveMuchOfTheDriveWaitsForConfirmationAndRemovesNothing() {
        DriveItem projects = drive.createFolder(drive.root().id(), "Projects", ConflictBehavior.FAIL);
        for (int i = 0; i < 40; i++) {
            file(projects, "p" + i + ".txt", "p");
        }
        for (int i = 0; i < 10; i++) {
            file(drive.root(), "r" + i + ".txt", "r");
        }
        sync();
        drive.delete(projects.id());

        DriveSync.Held held = assertThrows(DriveSync.Held.class, () -> new DriveSync("d1", drive, index,
                DeletionLimit.DEFAULT).run((s, a, m) -> {
        }));

        assertTrue(held.removals() > 20 && held.removals() <= 41, "removals " + held.removals());
        assertEquals(51, index.count("d1"), "items were removed before the person confirmed");
        new DriveSync("d1", drive, index, DeletionLimit.NONE).run((s, a, m) -> {
        });
        assertEquals(tree(false), tree(true));
        assertEquals(10, index.count("d1"));
    }

    @Test
    void everydayDeletionsPassTheLimit() {
        List<DriveItem> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            files.add(file(drive.root(), "f" + i + ".txt", "f"));
        }
        sync();
        files.subList(0, 5).forEach(f -> drive.delete(f.id()));

        new DriveSync("d1", drive, index, DeletionLimit.DEFAULT).run((s, a, m) -> {
        });

        assertEquals(25, index.count("d1"));
    }

    @Test
    void theLimitIsACountOrAShareOfTheDrivePastAFloor() {
        assertTrue(DeletionLimit.DEFAULT.exceededBy(501, 1_000_000), "the count");
        assertFalse(DeletionLimit.DEFAULT.exceededBy(29, 100), "under the share");
        assertTrue(DeletionLimit.DEFAULT.exceededBy(31, 100), "the share");
        assertFalse(DeletionLimit.DEFAULT.exceededBy(20, 21), "a small drive under the floor");
        assertFalse(DeletionLimit.NONE.exceededBy(Long.MAX_VALUE, 1), "confirmed");
    }

    @Test
    void theFirstSyncIndexesTheWholeDriveAcrossPages() {
        DriveItem docs = drive.createFolder(drive.root().id(), "Docs", ConflictBehavior.FAIL);
        for (int i = 0; i < 10; i++) {
            file(docs, "f" + i + ".txt", "v" + i);
        }

        sync();

        assertEquals(tree(false), tree(true));
        assertEquals(11, index.count("d1"));
    }

    @Test
    void laterSyncsApplyRenamesMovesEditsAndDeletesByIdAndCostOnlyTheChanges() {
        DriveItem a = drive.createFolder(drive.root().id(), "A", ConflictBehavior.FAIL);
        DriveItem b = drive.createFolder(drive.root().id(), "B", ConflictBehavior.FAIL);
        DriveItem moved = file(a, "move-me.txt", "m");
        DriveItem edited = file(a, "edit-me.txt", "e");
        DriveItem doomed = drive.createFolder(a.id(), "doomed", ConflictBehavior.FAIL);
        file(doomed, "inner.txt", "i");
        for (int i = 0; i < 30; i++) {
            file(b, "untouched" + i + ".txt", "u");
        }
        sync();

        drive.move(moved.id(), b.id(), "moved.txt");
        file(a, "edit-me.txt", "edited");
        drive.delete(doomed.id());
        int before = drive.requests();
        sync();
        int cost = drive.requests() - before;

        assertEquals(tree(false), tree(true));
        assertEquals("moved.txt", index.item("d1", moved.id()).orElseThrow().name());
        assertTrue(index.item("d1", edited.id()).isPresent());
        // 4 feed entries (the deleted folder and the file in it count apiece) in pages of 3: two reads.
        assertEquals(2, cost, "a sync of 3 changes on a drive of 36 items cost " + cost + " requests");
    }

    @Test
    void aCrashBetweenPagesRepeatsWorkAndLosesNothing() {
        DriveItem docs = drive.createFolder(drive.root().id(), "Docs", ConflictBehavior.FAIL);
        for (int i = 0; i < 8; i++) {
            file(docs, "f" + i + ".txt", "v" + i);
        }
        // A sync that dies after the first page was read but before it was applied.
        ChangePage first = drive.changes(null);
        index.apply("d1", first.changes(), first.cursor());
        drive.changes(first.cursor()); // read, then the process dies: never applied

        sync();

        assertEquals(tree(false), tree(true));
    }

    @Test
    void anExpiredCursorResyncsAndDropsWhatIsGoneWithoutTouchingTheDrive() {
        DriveItem docs = drive.createFolder(drive.root().id(), "Docs", ConflictBehavior.FAIL);
        DriveItem keep = file(docs, "keep.txt", "k");
        DriveItem gone = file(docs, "gone.txt", "g");
        sync();
        drive.delete(gone.id());
        drive.expireCursors();

        String result = sync();

        assertTrue(result.startsWith("Resynced"), result);
        assertEquals(tree(false), tree(true));
        assertTrue(index.item("d1", keep.id()).isPresent());
        assertTrue(index.item("d1", gone.id()).isEmpty());
    }

    @Test
    void otherFailuresAreReportedAndTheCursorStays() {
        file(drive.root(), "a.txt", "a");
        sync();
        String cursor = index.cursor("d1").orElseThrow();
        InMemoryExternalDrive failing = new InMemoryExternalDrive() {
            @Override
            public synchronized ChangePage changes(String c) {
                throw new PluginException(ErrorKind.THROTTLED, "Too many requests");
            }
        };

        PluginException e = assertThrows(PluginException.class,
                () -> new DriveSync("d1", failing, index, DeletionLimit.NONE).run((s, a, m) -> {
                }));

        assertEquals(ErrorKind.THROTTLED, e.kind());
        assertEquals(cursor, index.cursor("d1").orElseThrow());
    }

    /**
     * Counting the index reads every item of the drive (a few hundred milliseconds with 1,000,000): an incremental
     * sync that removes nothing must not pay for it, while one that removes still checks its limit against it.
     */
    @Test
    void onlyASyncThatRemovesCountsTheIndex() {
        DriveItem folder = drive.createFolder(drive.root().id(), "Docs", ConflictBehavior.FAIL);
        file(folder, "a.txt", "a");
        file(folder, "b.txt", "b");
        new DriveSync("d1", drive, index, DeletionLimit.DEFAULT).run((seen, applied, message) -> {
        });
        java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        FileIndex counted = watched(FileIndex.class, index, calls::add);

        file(folder, "c.txt", "c");
        new DriveSync("d1", drive, counted, DeletionLimit.DEFAULT).run((seen, applied, message) -> {
        });
        assertFalse(calls.contains("count"), "a sync that removes nothing counted the index: " + calls);

        drive.delete(drive.children(folder.id()).get(0).id());
        new DriveSync("d1", drive, counted, DeletionLimit.DEFAULT).run((seen, applied, message) -> {
        });
        assertEquals(1, calls.stream().filter("count"::equals).count(), "the removal's limit was not checked");
        assertEquals(3, index.count("d1"));
    }

    @Test
    void aDrivesIndexLeavesInTurnsAndItsCursorWithTheLast() {
        for (int i = 0; i < 5; i++) {
            file(drive.root(), "f" + i + ".txt", "a");
        }
        sync();
        index.apply("d2", java.util.List.of(), "other");

        assertEquals(2, index.removeSome("d1", 2));
        assertEquals(3, index.count("d1"));
        assertTrue(index.cursor("d1").isPresent(), "the cursor went before the items: a sync would start again");
        assertEquals(2, index.removeSome("d1", 2));
        assertEquals(1, index.removeSome("d1", 2));
        assertTrue(index.cursor("d1").isPresent());
        assertEquals(0, index.removeSome("d1", 2));

        assertEquals(0, index.count("d1"));
        assertTrue(index.cursor("d1").isEmpty());
        assertEquals("other", index.cursor("d2").orElseThrow());
    }
}
