package io.docbridge.host.drives;

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

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a drive sync costs: a SharePoint library of N items (folders of 100 files) in the emulator, read through the
 * Graph drive (the plugins' page size) first on its own (the client's listing), then synced into the host's index in
 * H2 and, when {@code DOCBRIDGE_TEST_POSTGRES} names a server, in PostgreSQL: in full, and again after 10 changes.
 * Emulator, Graph client and index share one JVM capped at 384 MiB (the emulator holds the whole drive):
 * {@code mvn -q install -DskipTests && mvn -q -pl demo-host test-compile exec:exec@sync-benchmark
 * -Dbenchmark.items=100000}; {@code -Dbenchmark.latency=100} delays every Graph answer by 100 ms, as a network
 * would. Not a test: it measures and prints.
 */
public final class SyncBenchmark {
    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("docbridge-sync-bench");
        // The emulator keeps its state in memory (no data folder): saving 100,000 items to disk every second after
        // the seeding would compete for the cores with what is measured.
        try (M365Emulator emulator = M365Emulator.builder().start()) {
            Directory.Tenant tenant = emulator.directory().addTenant("contoso.onmicrosoft.com", "Contoso", true);
            Directory.App app = emulator.directory().addApp("Bench", List.of("https://localhost/"), List.of("secret"));
            emulator.directory().grantAppRole(tenant, app, "Sites.ReadWrite.All");
            DriveStore store = emulator.drives();
            String driveId = store.addLibrary(store.addSite("contoso.sharepoint.com", "/sites/bench", "Bench", Set.of()),
                    "Documents", 1L << 40).id();
            String root = store.rootId(driveId);
            int made = 0;
            for (int f = 0; made < items; f++) {
                String folder = store.createFolder(driveId, root, "Folder " + f, "fail", DriveStore.Actor.SYSTEM).id();
                made++;
                for (int i = 0; i < 99 && made < items; i++, made++) {
                    store.commitFile(driveId, folder, "file " + i + ".txt", store.stage(
                            new ByteArrayInputStream(("v1 " + i).getBytes())), "fail", DriveStore.Actor.SYSTEM);
                }
            }
            System.gc();
            java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean()
                    .getHeapMemoryUsage();
            System.out.printf("heap in use with the emulator's drive seeded: %,d MiB of %,d MiB%n",
                    heap.getUsed() >> 20, heap.getMax() >> 20);
            GraphConnection connection = new GraphConnection(GraphCloud.standIn("Emulator", emulator.baseUrl()),
                    tenant.id(), app.clientId(), "secret", emulator.caPem());
            DriveClient client = DriveClient.connect(connection, new MicrosoftSignIn(connection,
                    new InMemorySecretStore(), "app").appTokens());
            GraphExternalDrive drive = new GraphExternalDrive(client, driveId);

            readAll(drive, null); // warms the JIT and the connection, as a running host is
            // -Dbenchmark.latency=MILLIS: each Graph request answered that much later, as across a real network
            emulator.faults().latency(java.time.Duration.ofMillis(Long.getLong("benchmark.latency", 0)));
            emulator.faults().clearLog();
            List<io.docbridge.api.ChangePage> pages = new ArrayList<>();
            long t0 = System.nanoTime();
            int listed = readAll(drive, pages);
            double listSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("the client's listing alone: %,d items in %.1f s (%,.0f items/s), %d Graph requests%n",
                    listed, listSeconds, listed / listSeconds, emulator.faults().requests().size());

            List<Index> indexes = new ArrayList<>();
            indexes.add(new Index("H2", Database.open(Database.defaultUrl(dir), "sa", ""), null));
            String postgres = System.getenv("DOCBRIDGE_TEST_POSTGRES");
            if (postgres != null) {
                indexes.add(Index.postgres(postgres));
            }
            try {
                for (Index index : indexes) {
                    // The floor under a sync: the same pages written into the index of another drive, no Graph.
                    DbFileIndex writesAlone = new DbFileIndex(index.database.jdbi());
                    t0 = System.nanoTime();
                    for (io.docbridge.api.ChangePage page : pages) {
                        writesAlone.apply(WRITES_ALONE, page.changes(), page.cursor());
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("the same %,d items written into %s alone, page by page, no Graph: %.1f s "
                            + "(%.2f× the listing)%n", listed, index.name, seconds, seconds / listSeconds);
                    // ... and removed as a disconnect removes a drive's index: in turns, in the background
                    t0 = System.nanoTime();
                    long longest = 0;
                    int turns = 0;
                    for (int removed = 1; removed > 0; turns++) {
                        long turn = System.nanoTime();
                        removed = writesAlone.removeSome(WRITES_ALONE, FileIndex.TURN);
                        longest = Math.max(longest, System.nanoTime() - turn);
                    }
                    System.out.printf("  and removed from it as after a disconnect: %.1f s in %d turns, the longest "
                            + "%.0f ms%n", (System.nanoTime() - t0) / 1e9, turns, longest / 1e6);
                }
                pages.clear(); // not held while the syncs run
                for (Index index : indexes) {
                    emulator.faults().clearLog();
                    t0 = System.nanoTime();
                    index.cursor = index.sync(drive);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long indexed = new DbFileIndex(index.database.jdbi()).count(HOST_DRIVE);
                    System.out.printf("first sync into %s: %,d items indexed in %.1f s (%,.0f items/s, %.2f× the "
                                    + "listing alone), %d Graph requests%n", index.name, indexed, seconds,
                            indexed / seconds, seconds / listSeconds, emulator.faults().requests().size());
                }
                for (int i = 0; i < 10; i++) {
                    store.commitFile(driveId, root, "changed " + i + ".txt", store.stage(new ByteArrayInputStream(
                            "v2".getBytes())), "replace", DriveStore.Actor.SYSTEM);
                }
                for (Index index : indexes) {
                    emulator.faults().clearLog();
                    t0 = System.nanoTime();
                    index.sync(drive);
                    System.out.printf("%s after 10 changes: %.0f ms, %d Graph request(s)%n", index.name,
                            (System.nanoTime() - t0) / 1e6, emulator.faults().requests().size());
                }
                store.invalidateDeltaTokens(driveId); // as Graph does after a while: 410 resyncRequired
                for (Index index : indexes) {
                    t0 = System.nanoTime();
                    String result = index.sync(drive);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("%s resync after the change feed's cursor expired: %.1f s (%.2f× the listing); "
                            + "%s%n", index.name, seconds, seconds / listSeconds, result);
                }
            } finally {
                for (Index index : indexes) {
                    index.close();
                }
            }
        } finally {
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Ids of the host's drives are UUIDs, as every index key starts with one. */
    private static final String HOST_DRIVE = java.util.UUID.randomUUID().toString();
    private static final String WRITES_ALONE = java.util.UUID.randomUUID().toString();

    /** Reads the whole change feed; keeps its pages in {@code keep} unless that is null. */
    private static int readAll(GraphExternalDrive drive, List<io.docbridge.api.ChangePage> keep) {
        int n = 0;
        String cursor = null;
        io.docbridge.api.ChangePage page;
        do {
            page = drive.changes(cursor);
            if (keep != null) {
                keep.add(page);
            }
            n += page.changes().size();
            cursor = page.cursor();
        } while (page.hasMore());
        return n;
    }

    /** One index database, and the PostgreSQL database made for it (dropped at the end). */
    private static final class Index implements AutoCloseable {
        final String name;
        final Database database;
        final io.docbridge.host.testing.Postgres postgres;
        String cursor;

        Index(String name, Database database, io.docbridge.host.testing.Postgres postgres) {
            this.name = name;
            this.database = database;
            this.postgres = postgres;
        }

        static Index postgres(String spec) throws Exception {
            io.docbridge.host.testing.Postgres pg = io.docbridge.host.testing.Postgres.create();
            return new Index("PostgreSQL", Database.open(pg.url(), pg.user(), pg.password()), pg);
        }

        String sync(GraphExternalDrive drive) {
            return new DriveSync(HOST_DRIVE, drive, new DbFileIndex(database.jdbi()), DeletionLimit.DEFAULT).run(
                    (s, a, m) -> {
                    });
        }

        @Override
        public void close() throws Exception {
            database.close();
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
