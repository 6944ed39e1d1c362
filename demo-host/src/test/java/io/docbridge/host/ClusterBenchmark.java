package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.auth.User;
import io.docbridge.host.auth.Users;
import io.docbridge.host.testing.Cluster;
import io.docbridge.host.testing.Postgres;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a cluster costs and gains: N SharePoint libraries connected as organisation drives (app-only access) in the
 * emulator, first synced, then 10 changes in each and Sync Now for all, pressed on one instance or spread over two
 * on one PostgreSQL. Prints syncs per second, the most PostgreSQL connections open at once, the p99 latency of a
 * folder page requested meanwhile, and checks that each drive's change feed was read once (no sync ran twice).
 * Needs DOCBRIDGE_TEST_POSTGRES; run from the repository:
 * {@code mvn -q install -DskipTests && mvn -q -pl demo-host test-compile exec:exec@cluster-benchmark}
 * (1,000 drives). Not a test: it measures and prints.
 */
public final class ClusterBenchmark {
    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int drives = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        for (int instances : new int[]{1, 2}) {
            run(drives, instances);
        }
        System.exit(0);
    }

    private static void run(int driveCount, int instanceCount) throws Exception {
        Path root = Files.createTempDirectory("docbridge-cluster-bench");
        try (Postgres postgres = Postgres.create()) {
            String secretKey = Cluster.newSecretKey();
            String balancer = Cluster.balancerAddress();
            List<TestHost> hosts = new ArrayList<>();
            hosts.add(host(root.resolve("a"), postgres, secretKey, balancer));
            M365Emulator emulator = hosts.get(0).host().emulator().orElseThrow();
            var tenant = emulator.directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
            var app = emulator.directory().apps().stream().filter(x -> x.displayName().equals("Docbridge")).findFirst()
                    .orElseThrow();
            emulator.directory().grantAppRole(tenant, app, "Sites.ReadWrite.All");
            DriveStore store = emulator.drives();
            DriveStore.Site site = store.addSite(DemoSeed.SHAREPOINT_HOST, "/sites/bench", "Bench", Set.of());
            User admin = new Users(hosts.get(0).host().jdbi(), Clock.systemUTC()).find("admin").orElseThrow();
            List<String> libraries = new ArrayList<>();
            List<String> drives = new ArrayList<>();
            for (int i = 0; i < driveCount; i++) {
                DriveStore.Drive library = store.addLibrary(site, "Library " + i, 1L << 30);
                store.commitFile(library.id(), store.rootId(library.id()), "first.txt", store.stage(
                        new ByteArrayInputStream("v1".getBytes())), "fail", DriveStore.Actor.SYSTEM);
                libraries.add(library.id());
                drives.add(hosts.get(0).host().externalDrives().createForOrganisation(admin, "sharepoint-library",
                        "Library " + i, Map.of("connection", "app-only", "site", site.id(), "siteName", "Bench",
                                "library", library.id(), "libraryName", "Library " + i)));
            }
            for (int i = 1; i < instanceCount; i++) {
                hosts.add(host(root.resolve("instance-" + i), postgres, secretKey, balancer));
            }
            awaitSyncedAfter(hosts.get(0), driveCount, Instant.EPOCH);

            for (String library : libraries) {
                for (int c = 0; c < 10; c++) {
                    store.commitFile(library, store.rootId(library), "change " + c + ".txt", store.stage(
                            new ByteArrayInputStream(("v" + c).getBytes())), "fail", DriveStore.Actor.SYSTEM);
                }
            }
            emulator.faults().clearLog();
            AtomicBoolean measuring = new AtomicBoolean(true);
            AtomicInteger peakConnections = new AtomicInteger();
            Thread connections = new Thread(() -> sampleConnections(postgres, measuring, peakConnections));
            List<Long> pageMillis = Collections.synchronizedList(new ArrayList<>());
            WebClient reader = hosts.get(0).admin();
            Thread pages = new Thread(() -> {
                while (measuring.get()) {
                    long t = System.nanoTime();
                    reader.get("/files/" + drives.get(0));
                    pageMillis.add((System.nanoTime() - t) / 1_000_000);
                }
            });
            connections.start();
            pages.start();

            Instant pressed = Instant.now();
            long t0 = System.nanoTime();
            for (int i = 0; i < driveCount; i++) {
                hosts.get(i % instanceCount).host().externalDrives().syncNow(drives.get(i));
            }
            awaitSyncedAfter(hosts.get(0), driveCount, pressed);
            double seconds = (System.nanoTime() - t0) / 1e9;
            measuring.set(false);
            connections.join();
            pages.join();
            long deltaReads = emulator.faults().count(r -> r.path().endsWith("/delta"));
            List<Long> sorted = new ArrayList<>(pageMillis);
            Collections.sort(sorted);
            long p99 = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
            System.out.printf("%d instance(s), %,d drives × 10 changes: %.1f s, %.0f syncs/s, change-feed reads %,d "
                            + "(one per drive: %s), peak PostgreSQL connections %d, folder page p99 %d ms (%d pages)%n",
                    instanceCount, driveCount, seconds, driveCount / seconds, deltaReads, deltaReads == driveCount,
                    peakConnections.get(), p99, sorted.size());
            for (int i = hosts.size() - 1; i >= 0; i--) {
                hosts.get(i).close();
            }
        }
    }

    private static TestHost host(Path root, Postgres postgres, String secretKey, String balancer) throws Exception {
        return TestHost.withMicrosoftPlugins(root, c -> c.withDatabase(postgres.url(), postgres.user(),
                postgres.password()).withSecretKey(secretKey).withPublicBaseUrl(balancer), "sharepoint-plugin.zip");
    }

    /** Waits until every drive's last sync finished after {@code since}. */
    private static void awaitSyncedAfter(TestHost host, int drives, Instant since) throws InterruptedException {
        for (int i = 0; i < 36_000; i++) {
            long done = host.host().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM task_last_runs WHERE "
                    + "task_key LIKE 'host:drive-sync/%' AND NOT running AND finished_at > :since")
                    .bind("since", OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC)).mapTo(Long.class).one());
            if (done >= drives) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the syncs did not finish");
    }

    private static void sampleConnections(Postgres postgres, AtomicBoolean measuring, AtomicInteger peak) {
        try (Connection c = DriverManager.getConnection(postgres.url(), postgres.user(), postgres.password());
             var query = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()")) {
            while (measuring.get()) {
                try (var rs = query.executeQuery()) {
                    rs.next();
                    peak.accumulateAndGet(rs.getInt(1) - 1, Math::max); // less this sampler's own
                }
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
