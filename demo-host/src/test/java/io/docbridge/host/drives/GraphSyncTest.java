package io.docbridge.host.drives;

import io.docbridge.api.ChangePage;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.TaskProgress;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.graph.DriveClient;
import io.docbridge.graph.GraphCloud;
import io.docbridge.graph.GraphConnection;
import io.docbridge.graph.GraphExternalDrive;
import io.docbridge.graph.MicrosoftSignIn;
import io.docbridge.host.db.Database;
import io.docbridge.host.drives.DbFileIndex;
import io.docbridge.tck.InMemorySecretStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's sync (DriveSync into the database index) over Microsoft Graph against the emulator: what a sync
 * costs, and many rounds of random remote changes with faults, after each of which the index equals the drive.
 */
class GraphSyncTest {
    static final DriveStore.Actor SOMEONE = new DriveStore.Actor("u-1", "Someone Else", "someone@contoso.com");

    @TempDir
    Path dir;
    M365Emulator emulator;
    Database database;
    DbFileIndex index;
    DriveStore store;
    String driveId;
    DriveClient client;
    GraphExternalDrive drive;

    @BeforeEach
    void start() {
        emulator = M365Emulator.builder().start();
        Directory.Tenant tenant = emulator.directory().addTenant("contoso.onmicrosoft.com", "Contoso", true);
        Directory.App app = emulator.directory().addApp("Sync", List.of("https://localhost/"), List.of("secret"));
        emulator.directory().grantAppRole(tenant, app, "Sites.ReadWrite.All");
        store = emulator.drives();
        driveId = store.addLibrary(store.addSite("contoso.sharepoint.com", "/sites/s", "S", java.util.Set.of()),
                "Documents", 1L << 40).id();
        GraphConnection connection = new GraphConnection(GraphCloud.standIn("Emulator", emulator.baseUrl()),
                tenant.id(), app.clientId(), "secret", emulator.caPem());
        client = DriveClient.connect(connection, new MicrosoftSignIn(connection, new InMemorySecretStore(), "app")
                .appTokens());
        drive = new GraphExternalDrive(client, driveId, 200);
        database = Database.open(Database.defaultUrl(dir), "sa", "");
        index = new DbFileIndex(database.jdbi());
    }

    @AfterEach
    void stop() {
        database.close();
        emulator.close();
    }

    private String sync(ExternalDrive using) {
        return sync(using, DeletionLimit.NONE);
    }

    private String sync(ExternalDrive using, DeletionLimit limit) {
        return new DriveSync("d", using, index, limit).run((seen, applied, message) -> {
        });
    }

    private DriveStore.Item file(String parentId, String name, String text) {
        return store.commitFile(driveId, parentId, name, store.stage(new ByteArrayInputStream(text.getBytes())),
                "replace", SOMEONE).item();
    }

    /** Every item below the root as "id → parent/name/kind/size", from the emulator's store or from the index. */
    private Map<String, String> tree(boolean fromIndex) {
        Map<String, String> all = new TreeMap<>();
        walk(store.rootId(driveId), fromIndex, all);
        return all;
    }

    private void walk(String folderId, boolean fromIndex, Map<String, String> out) {
        if (fromIndex) {
            for (DriveItem item : index.children("d", folderId)) {
                out.put(item.id(), folderId + "/" + item.name() + (item.folder() ? "/" : "") + " " + (item.folder() ? 0
                        : item.size()));
                if (item.folder()) {
                    walk(item.id(), true, out);
                }
            }
        } else {
            for (DriveStore.Item item : store.children(driveId, folderId)) {
                out.put(item.id(), folderId + "/" + item.name() + (item.folder() ? "/" : "") + " " + (item.folder() ? 0
                        : item.size()));
                if (item.folder()) {
                    walk(item.id(), false, out);
                }
            }
        }
    }

    @Test
    void aThrottledSyncSaysWhenItResumesThenFinishes() {
        file(store.rootId(driveId), "a.txt", "a");
        emulator.faults().throttleNext(1, "/delta", 429, 1);
        List<String> said = new ArrayList<>();
        List<Instant> resumes = new ArrayList<>();
        Instant before = Instant.now();
        String result = new DriveSync("d", drive, index, DeletionLimit.NONE).run(new TaskProgress() {
            @Override
            public void report(long itemsSeen, long changesApplied, String message) {
                said.add(message);
            }

            @Override
            public void waiting(String reason, Instant resumeAt) {
                said.add(reason);
                resumes.add(resumeAt);
            }
        });
        assertEquals(List.of("Reading the whole drive", "Throttled by Microsoft 365", "Read 1 changes"), said);
        // Retry-After: 1 → it resumes a second after the refusal, not at once and not later.
        assertTrue(!resumes.get(0).isBefore(before.plusSeconds(1)) && resumes.get(0).isBefore(Instant.now()),
                resumes.toString());
        assertEquals("1 change applied", result);
        assertEquals(tree(false), tree(true));
    }

    @Test
    void aSyncThatWouldRemoveMuchOfTheDriveIsHeldUntilConfirmedThenFollowsTheSameDeltaLinks() {
        String root = store.rootId(driveId);
        List<String> folders = new ArrayList<>();
        for (int f = 0; f < 10; f++) {
            folders.add(store.createFolder(driveId, root, "Folder " + f, "fail", SOMEONE).id());
            for (int i = 0; i < 100; i++) {
                file(folders.get(f), "file " + i + ".txt", "v1");
            }
        }
        sync(drive, DeletionLimit.DEFAULT);
        Map<String, String> before = tree(true);
        for (int f = 0; f < 4; f++) {
            store.delete(driveId, folders.get(f), null);
        }

        DriveSync.Held held = assertThrows(DriveSync.Held.class, () -> sync(drive, DeletionLimit.DEFAULT));
        assertEquals(1010, held.indexed());
        assertTrue(held.removals() > 300, "removals " + held.removals());
        assertEquals(before, tree(true), "items were removed before the person confirmed");
        assertThrows(DriveSync.Held.class, () -> sync(drive, DeletionLimit.DEFAULT), "held again on the next run");

        sync(drive, DeletionLimit.NONE);
        assertEquals(tree(false), tree(true));
        assertEquals(606, index.count("d"));
    }

    @Test
    void aResyncThatWouldRemoveMuchOfTheDriveIsHeldTooAndStaysPendingUntilConfirmed() {
        String root = store.rootId(driveId);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            files.add(file(root, "file " + i + ".txt", "v1").id());
        }
        sync(drive, DeletionLimit.DEFAULT);
        for (int i = 0; i < 30; i++) {
            store.delete(driveId, files.get(i), null);
        }
        store.invalidateDeltaTokens(driveId); // the saved delta link now answers 410 resyncRequired

        DriveSync.Held held = assertThrows(DriveSync.Held.class, () -> sync(drive, DeletionLimit.DEFAULT));
        assertEquals(30, held.removals());
        assertEquals(40, index.count("d"), "a resync removed items before the person confirmed");
        // The resync's full read is saved; later runs are incremental again but still hold the removals.
        assertThrows(DriveSync.Held.class, () -> sync(drive, DeletionLimit.DEFAULT), "held again on the next run");
        file(root, "new.txt", "v1");

        String result = sync(drive, DeletionLimit.NONE);
        assertEquals("1 change applied, 30 no longer on the drive", result); // new.txt (a library root is not listed)
        assertEquals(tree(false), tree(true));
        assertEquals(11, index.count("d"));
        assertEquals(0, index.unseen("d"));
    }

    @Test
    void aSyncAfterTheFirstCostsWhatChangedNotWhatTheDriveHolds() {
        String root = store.rootId(driveId);
        List<String> folders = new ArrayList<>();
        for (int f = 0; f < 10; f++) {
            String folder = store.createFolder(driveId, root, "Folder " + f, "fail", SOMEONE).id();
            folders.add(folder);
            for (int i = 0; i < 100; i++) {
                file(folder, "file " + i + ".txt", "v1 " + i);
            }
        }
        emulator.faults().clearLog();
        sync(drive);
        long firstSync = emulator.faults().count(r -> r.path().contains("/delta"));

        for (int k = 0; k < 5; k++) {
            file(folders.get(k * 2), "file " + k + ".txt", "v2 changed");
        }
        emulator.faults().clearLog();
        String result = sync(drive, DeletionLimit.DEFAULT);
        long incremental = emulator.faults().count(r -> r.path().startsWith("/v1.0/"));

        assertEquals(tree(false), tree(true));
        assertEquals(6, firstSync, "1,010 items in pages of 200");
        assertEquals(1, incremental, "5 changes on a 1,010-item drive cost more than one request");
        assertTrue(result.startsWith("1"), result); // 5 files, their 5 folders: "10 changes applied"
    }

    /** A drive that dies after handing out {@code pagesLeft} pages, as a killed process would. */
    private record Killed(ExternalDrive drive, int[] pagesLeft) implements ExternalDrive {
        @Override
        public ChangePage changes(String cursor) {
            if (pagesLeft[0]-- <= 0) {
                throw new IllegalStateException("killed between pages");
            }
            return drive.changes(cursor);
        }

        @Override
        public DriveItem root() {
            return drive.root();
        }

        @Override
        public List<DriveItem> children(String folderId) {
            return drive.children(folderId);
        }

        @Override
        public InputStream download(String itemId) {
            return drive.download(itemId);
        }

        @Override
        public DriveItem upload(String parentId, String name, InputStream content, long size,
                                io.docbridge.api.ConflictBehavior onConflict, java.time.Instant modified) {
            return drive.upload(parentId, name, content, size, onConflict, modified);
        }

        @Override
        public DriveItem replace(String itemId, InputStream content, long size, String expectedVersion,
                                 java.time.Instant modified) {
            return drive.replace(itemId, content, size, expectedVersion, modified);
        }

        @Override
        public DriveItem createFolder(String parentId, String name, io.docbridge.api.ConflictBehavior onConflict) {
            return drive.createFolder(parentId, name, onConflict);
        }

        @Override
        public DriveItem move(String itemId, String newParentId, String newName) {
            return drive.move(itemId, newParentId, newName);
        }

        @Override
        public void delete(String itemId) {
            drive.delete(itemId);
        }
    }

    @Test
    void afterEveryRoundOfRandomChangesAndFaultsTheIndexEqualsTheDrive() {
        Random random = new Random(20261122);
        GraphExternalDrive smallPages = new GraphExternalDrive(client, driveId, 4);
        String root = store.rootId(driveId);
        for (int round = 0; round < 40; round++) {
            int changes = 1 + random.nextInt(6);
            for (int c = 0; c < changes; c++) {
                randomChange(random, root);
            }
            switch (random.nextInt(6)) {
                case 0 -> emulator.faults().throttleNext(1 + random.nextInt(2), "/delta", 429, 0);
                case 1 -> emulator.faults().throttleNext(1, "/delta", 503, 0);
                case 2 -> emulator.clock().advance(Duration.ofHours(2)); // the cached token runs out
                case 3 -> {
                    for (int i = 0; i < 8; i++) { // enough changes for a second page of 4
                        file(root, "batch-" + round + "-" + i + ".txt", "x");
                    }
                    int[] pages = {1}; // the first page is applied, then the process dies
                    assertThrows(IllegalStateException.class, () -> sync(new Killed(smallPages, pages)));
                }
                case 4 -> store.invalidateDeltaTokens(driveId); // the cursor expires: a resync
                default -> {
                }
            }
            sync(smallPages);
            assertEquals(tree(false), tree(true), "round " + round);
        }
    }

    private void randomChange(Random random, String root) {
        List<DriveStore.Item> all = new ArrayList<>();
        collect(root, all);
        List<DriveStore.Item> folders = new ArrayList<>(all.stream().filter(DriveStore.Item::folder).toList());
        DriveStore.Item rootItem = store.item(driveId, root);
        folders.add(rootItem);
        DriveStore.Item target = folders.get(random.nextInt(folders.size()));
        int op = all.isEmpty() ? 0 : random.nextInt(6);
        String name = "n" + random.nextInt(1000);
        try {
            switch (op) {
                case 0 -> file(target.id(), name + ".txt", "content " + random.nextInt());
                case 1 -> store.createFolder(driveId, target.id(), name, "rename", SOMEONE);
                case 2 -> {
                    DriveStore.Item item = all.get(random.nextInt(all.size()));
                    if (!item.folder()) {
                        file(item.parentId(), item.name(), "edited " + random.nextInt());
                    }
                }
                case 3 -> store.update(driveId, all.get(random.nextInt(all.size())).id(), name, null, null, "rename",
                        SOMEONE, null);
                case 4 -> store.update(driveId, all.get(random.nextInt(all.size())).id(), null, target.id(), null,
                        "rename", SOMEONE, null);
                default -> store.delete(driveId, all.get(random.nextInt(all.size())).id(), null);
            }
        } catch (io.docbridge.emulator.graph.GraphException refused) {
            // a move into itself, say: the service refuses, and so nothing changed
        }
    }

    private void collect(String folderId, List<DriveStore.Item> out) {
        for (DriveStore.Item item : store.children(driveId, folderId)) {
            out.add(item);
            if (item.folder()) {
                collect(item.id(), out);
            }
        }
    }
}
