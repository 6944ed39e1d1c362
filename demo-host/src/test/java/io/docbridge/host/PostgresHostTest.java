package io.docbridge.host;

import io.docbridge.host.db.Database;
import io.docbridge.host.drives.DeletionLimit;
import io.docbridge.host.drives.DriveSync;
import io.docbridge.host.drives.DbFileIndex;
import io.docbridge.host.testing.Postgres;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.TestPlugins;
import io.docbridge.host.testing.WebClient;
import io.docbridge.api.ConflictBehavior;
import io.docbridge.tck.InMemoryExternalDrive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host on PostgreSQL instead of H2: the same migrations, documents, secrets and file index. */
class PostgresHostTest {
    @TempDir
    Path root;
    Postgres postgres;

    @BeforeEach
    void database() throws Exception {
        postgres = Postgres.create();
    }

    @AfterEach
    void drop() throws Exception {
        if (postgres != null) { // null when there is no server and the tests were skipped
            postgres.close();
        }
    }

    private TestHost start() {
        return TestHost.start(root, c -> c.withDatabase(postgres.url(), postgres.user(), postgres.password()));
    }

    @Test
    void documentsPluginSecretsAndSettingsWorkAndSurviveARestart() throws Exception {
        TestPlugins.hello(root.resolve("plugins"));
        String download;
        try (TestHost host = start()) {
            WebClient admin = host.admin();
            admin.post("/projects", Map.of("code", "PG", "name", "On PostgreSQL"));
            admin.get("/settings/storage/add/hello-storage");
            String location = admin.post("/settings/storage/add/hello-storage", Map.of("name", "Hello",
                    "greeting", "hi", "apiKey", "s3cr3t-api-key")).headers().firstValue("Location").orElseThrow();
            String id = WebClient.find(location, "#provider-([0-9a-f-]{36})");
            admin.get("/settings/storage");
            admin.post("/settings/storage/" + id + "/verify", Map.of());
            assertTrue(admin.get("/settings/storage").body().contains("Verified"), "the secret did not round-trip");
            admin.post("/plugins/hello/note", Map.of("note", "kept"));
            admin.post("/plugins/hello/note", Map.of("note", "replaced"));
            admin.get("/documents/new");
            String page = admin.follow(admin.upload("/documents/new", Map.of("project", "1", "number", "",
                    "title", "Plan", "type", "Drawing", "status", "Draft", "code", "A"), "plan.txt",
                    "on postgres".getBytes(StandardCharsets.UTF_8))).body();
            download = WebClient.find(page, "href=\"(/revisions/\\d+/download)\"");
        }
        try (TestHost host = start()) {
            WebClient admin = host.admin();
            assertEquals("on postgres", new String(admin.download(download).body(), StandardCharsets.UTF_8));
            assertEquals("replaced", admin.get("/plugins/hello/note").body());
        }
    }

    @Test
    void driveSyncKeepsTheFileIndexInStep() {
        try (Database database = Database.open(postgres.url(), postgres.user(), postgres.password())) {
            DbFileIndex index = new DbFileIndex(database.jdbi());
            InMemoryExternalDrive drive = new InMemoryExternalDrive(Clock.systemUTC(), 2);
            var folder = drive.createFolder(drive.root().id(), "Docs", ConflictBehavior.FAIL);
            var file = drive.upload(folder.id(), "a.txt", new ByteArrayInputStream(new byte[]{1}), 1,
                    ConflictBehavior.FAIL, null);
            new DriveSync("d", drive, index, DeletionLimit.NONE).run((s, a, m) -> {
            });
            drive.move(file.id(), null, "b.txt");
            new DriveSync("d", drive, index, DeletionLimit.NONE).run((s, a, m) -> {
            });

            assertEquals("b.txt", index.item("d", file.id()).orElseThrow().name());
            assertEquals(2, index.count("d"));
        }
    }

    @Test
    void twoWritersMeetingOnOneNewItemOfTheIndexBothSucceed() throws Exception {
        try (Database database = Database.open(postgres.url(), postgres.user(), postgres.password())) {
            var index = new io.docbridge.host.drives.DbFileIndex(database.jdbi());
            java.util.List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int round = 0; round < 40; round++) {
                var item = new io.docbridge.api.DriveItem("race-" + round, "root", "Minutes " + round + ".txt", false,
                        10, java.time.Instant.EPOCH, java.time.Instant.EPOCH, "Adele", "v1", "");
                var together = new java.util.concurrent.CyclicBarrier(2);
                Runnable write = () -> {
                    try {
                        together.await();
                        // a sync and a person's upload both record the same new file
                        index.apply("d", java.util.List.of(io.docbridge.api.DriveChange.upserted(item)), "cursor");
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                };
                Thread other = new Thread(write);
                other.start();
                write.run();
                other.join();
            }
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(40, index.count("d"));
        }
    }
}
