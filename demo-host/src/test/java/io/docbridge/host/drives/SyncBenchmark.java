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
 * What a drive sync costs: a SharePoint library of N items (folders of 100 files) in the emulator, synced into the
 * host's H2 index through the Graph drive (delta pages of 200), first in full and then after 10 changes. Emulator,
 * Graph client and index share one JVM capped at 128 MiB:
 * {@code mvn -q install -DskipTests && mvn -q -pl demo-host test-compile exec:exec@sync-benchmark} (20,000 items).
 * Not a test: it measures and prints.
 */
public final class SyncBenchmark {
    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("docbridge-sync-bench");
        try (M365Emulator emulator = M365Emulator.builder().dataDir(dir.resolve("emulator")).start();
             Database database = Database.open(Database.defaultUrl(dir), "sa", "")) {
            Directory.Tenant tenant = emulator.directory().addTenant("contoso.onmicrosoft.com", "Contoso", true);
            Directory.App app = emulator.directory().addApp("Bench", List.of("https://localhost/"), List.of("secret"));
            emulator.directory().grantAppRole(tenant, app, "Sites.ReadWrite.All");
            DriveStore store = emulator.drives();
            String driveId = store.addLibrary(store.addSite("contoso.sharepoint.com", "/sites/bench", "Bench", Set.of()),
                    "Documents", 1L << 40).id();
            String root = store.rootId(driveId);
            List<String> files = new ArrayList<>();
            for (int f = 0; files.size() < items; f++) {
                String folder = store.createFolder(driveId, root, "Folder " + f, "fail", DriveStore.Actor.SYSTEM).id();
                for (int i = 0; i < 99 && files.size() < items; i++) {
                    files.add(store.commitFile(driveId, folder, "file " + i + ".txt", store.stage(
                            new ByteArrayInputStream(("v1 " + i).getBytes())), "fail", DriveStore.Actor.SYSTEM).item().id());
                }
            }
            GraphConnection connection = new GraphConnection(GraphCloud.standIn("Emulator", emulator.baseUrl()),
                    tenant.id(), app.clientId(), "secret", emulator.caPem());
            DriveClient client = DriveClient.connect(connection, new MicrosoftSignIn(connection,
                    new InMemorySecretStore(), "app").appTokens());
            GraphExternalDrive drive = new GraphExternalDrive(client, driveId, 200);
            DbFileIndex index = new DbFileIndex(database.jdbi());

            emulator.faults().clearLog();
            long t0 = System.nanoTime();
            String first = new DriveSync("bench", drive, index, DeletionLimit.DEFAULT).run((s, a, m) -> {
            });
            double firstSeconds = (System.nanoTime() - t0) / 1e9;
            long firstRequests = emulator.faults().requests().size();
            long indexed = index.count("bench");

            for (int i = 0; i < 10; i++) {
                store.commitFile(driveId, root, "changed " + i + ".txt", store.stage(new ByteArrayInputStream(
                        "v2".getBytes())), "replace", DriveStore.Actor.SYSTEM);
            }
            emulator.faults().clearLog();
            t0 = System.nanoTime();
            String second = new DriveSync("bench", drive, index, DeletionLimit.DEFAULT).run((s, a, m) -> {
            });
            double secondMillis = (System.nanoTime() - t0) / 1e6;
            long secondRequests = emulator.faults().requests().size();

            System.out.printf("first sync: %,d items indexed in %.1f s (%,.0f items/s), %d Graph requests (%s)%n",
                    indexed, firstSeconds, indexed / firstSeconds, firstRequests, first);
            System.out.printf("after 10 changes: %.0f ms, %d Graph request(s) (%s)%n", secondMillis, secondRequests,
                    second);
        }
    }
}
