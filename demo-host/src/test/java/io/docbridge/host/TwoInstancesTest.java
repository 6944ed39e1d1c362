package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.host.testing.Cluster;
import io.docbridge.host.testing.Postgres;
import io.docbridge.host.testing.SharePointAdmin;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two host instances on one PostgreSQL behind one public address (the load balancer's, registered with Microsoft),
 * in offline mode: the first instance's emulator serves both. A person's requests land on either instance.
 */
class TwoInstancesTest {
    @TempDir
    Path root;
    Postgres postgres;
    TestHost a;
    TestHost b;

    @BeforeEach
    void start() throws Exception {
        postgres = Postgres.create();
        String secretKey = Cluster.newSecretKey();
        String balancer = Cluster.balancerAddress();
        a = instance("a", secretKey, balancer);
        b = instance("b", secretKey, balancer);
    }

    private TestHost instance(String name, String secretKey, String balancer) throws Exception {
        return TestHost.withMicrosoftPlugins(root.resolve(name), c -> c.withDatabase(postgres.url(), postgres.user(),
                postgres.password()).withSecretKey(secretKey).withPublicBaseUrl(balancer), "onedrive-plugin.zip",
                "sharepoint-plugin.zip");
    }

    @AfterEach
    void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static long deltaRequests(M365Emulator emulator) {
        return emulator.faults().count(r -> r.path().endsWith("/delta"));
    }

    @Test
    void aSignInStartedOnOneInstanceFinishesOnTheOtherAndEachSyncRunsOnce() throws Exception {
        M365Emulator emulator = a.host().emulator().orElseThrow();
        assertTrue(b.host().emulator().isEmpty(), "the second instance started an emulator of its own");

        // Signed in on A, the administrator starts Connect with Microsoft there ...
        WebClient onA = a.admin();
        HttpResponse<String> toMicrosoft = onA.get(onA.linkOn("/files/add/onedrive", "connect-microsoft"));
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(
                toMicrosoft.headers().firstValue("Location").orElseThrow(), "adele@" + DemoSeed.TENANT_DOMAIN,
                DemoSeed.PASSWORD);
        // ... and Microsoft's answer comes back through the load balancer to B, which finishes it.
        WebClient onB = onA.at(b.host().localUrl());
        HttpResponse<String> back = onB.callback("/plugins/onedrive/callback", answer);
        assertEquals(303, back.statusCode(), back.body());
        String form = new SharePointAdmin(onB, emulator).follow("/plugins/onedrive/callback", back).body();
        assertTrue(form.contains("Connected as <strong>adele@" + DemoSeed.TENANT_DOMAIN + "</strong>"), form);
        Map<String, String> fields = new HashMap<>();
        for (String name : new String[]{"connection", "account", "drive", "driveName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\""));
        }
        fields.put("name", "Adele's OneDrive");
        HttpResponse<String> saved = onB.post("/files/add/onedrive", fields);
        assertEquals(303, saved.statusCode(), saved.body());
        String drive = WebClient.find(saved.headers().firstValue("Location").orElseThrow(), "/files/([0-9a-f-]{36})");
        // Its first sync ran on one of them; both show it.
        onA.afterSync("/files/" + drive, "Welcome.txt");
        onB.afterSync("/files/" + drive, "Welcome.txt");

        // Sync Now pressed on both at once runs one sync: one more read of the change feed (nothing changed).
        long before = deltaRequests(emulator);
        onA.post("/files/" + drive + "/sync", Map.of());
        onB.post("/files/" + drive + "/sync", Map.of());
        onA.afterSync("/files/" + drive, "Last sync");
        Thread.sleep(1_500); // a second run, had one started, would have read the feed by now
        assertEquals(1, deltaRequests(emulator) - before, "Sync Now on two instances ran two syncs");
        String onBNow = onB.afterSync("/files/" + drive, "Last sync");
        assertTrue(onBNow.contains("Welcome.txt"), onBNow);
    }

    @Test
    void fiftyDrivesSyncingEveryTwoSecondsOnTwoInstancesEachRunOncePerInterval() throws Exception {
        M365Emulator emulator = a.host().emulator().orElseThrow();
        allowAppOnlyAccess(emulator);
        var store = emulator.drives();
        var site = store.addSite(DemoSeed.SHAREPOINT_HOST, "/sites/fifty", "Fifty", java.util.Set.of());
        var admin = administrator();
        Map<String, String> libraryOf = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            var library = store.addLibrary(site, "Library " + i, 1L << 30);
            String drive = a.host().externalDrives().createForOrganisation(admin, "sharepoint-library", "Library " + i,
                    Map.of("connection", "app-only", "site", site.id(), "siteName", "Fifty", "library", library.id(),
                            "libraryName", "Library " + i));
            libraryOf.put(drive, library.id());
        }
        // Every two seconds (people may choose 15 minutes at the least; the test cannot wait that long).
        for (String drive : libraryOf.keySet()) {
            assertTrue(a.host().scheduler().reschedule("host:drive-sync/" + drive, java.time.Duration.ofSeconds(2)));
        }
        Thread.sleep(3_000); // the first syncs and the new schedules settle
        emulator.faults().clearLog();
        long started = System.nanoTime();
        Thread.sleep(8_000);
        double seconds = (System.nanoTime() - started) / 1e9;

        // Each drive's change feed was read about once per interval, by one instance at a time: never twice per due
        // run (two instances each running it would double the count).
        int most = (int) Math.floor(seconds / 2) + 1;
        for (var e : libraryOf.entrySet()) {
            long reads = emulator.faults().count(r -> r.path().contains("/drives/" + e.getValue() + "/")
                    && r.path().endsWith("/delta"));
            assertTrue(reads >= 1 && reads <= most, "drive " + e.getKey() + ": " + reads + " change-feed reads in "
                    + seconds + " s (at most " + most + ")");
        }
        assertEquals(50, count(a, "SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance LIKE 'host:drive-sync/%' "
                + "AND last_success IS NOT NULL"), "every drive has synced");
    }

    @Test
    void removalsConfirmedOnOneInstanceAreAppliedByTheOthersSync() throws Exception {
        M365Emulator emulator = a.host().emulator().orElseThrow();
        allowAppOnlyAccess(emulator);
        var store = emulator.drives();
        var site = store.addSite(DemoSeed.SHAREPOINT_HOST, "/sites/held", "Held", java.util.Set.of());
        var library = store.addLibrary(site, "Archive library", 1L << 30);
        String archive = store.createFolder(library.id(), store.rootId(library.id()), "Archive", "fail",
                io.docbridge.emulator.graph.DriveStore.Actor.SYSTEM).id();
        for (int i = 0; i < 40; i++) {
            store.commitFile(library.id(), archive, "old " + i + ".txt", store.stage(new java.io.ByteArrayInputStream(
                    ("old " + i).getBytes())), "fail", io.docbridge.emulator.graph.DriveStore.Actor.SYSTEM);
        }
        WebClient onA = a.admin();
        var admin = administrator();
        String drive = a.host().externalDrives().createForOrganisation(admin, "sharepoint-library", "Archive library",
                Map.of("connection", "app-only", "site", site.id(), "siteName", "Held", "library", library.id(),
                        "libraryName", "Archive library"));
        onA.afterSync("/files/" + drive, "Archive");
        store.delete(library.id(), archive, null); // 41 of 41 items would leave: held
        onA.post("/files/" + drive + "/sync", Map.of());
        onA.afterSync("/files/" + drive, "id=\"removals-held\"");

        // Confirmed on B while Microsoft 365 refuses the change feed (the sync it starts hands its wait back) ...
        WebClient onB = onA.at(b.host().localUrl());
        emulator.faults().throttleNext(100, "/delta", 503, 600);
        onB.post("/files/" + drive + "/confirm-removals", Map.of());
        onB.afterSync("/files/" + drive, "Throttled by Microsoft 365 (resuming at ");
        b.close();
        b = null;
        // ... and applied by A's sync, without asking again.
        emulator.faults().clear();
        onA.post("/files/" + drive + "/sync", Map.of());
        String after = onA.afterSync("/files/" + drive, "Last sync");
        for (int i = 0; i < 100 && after.contains(">Archive</a>"); i++) {
            Thread.sleep(50);
            after = onA.afterSync("/files/" + drive, "Last sync");
        }
        assertTrue(!after.contains(">Archive</a>") && !after.contains("removals-held"), after);
    }

    /** The tenant grants the app application access to every site, for organisation drives without a sign-in. */
    private static void allowAppOnlyAccess(M365Emulator emulator) {
        var tenant = emulator.directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
        var app = emulator.directory().apps().stream().filter(x -> x.displayName().equals("Docbridge")).findFirst()
                .orElseThrow();
        emulator.directory().grantAppRole(tenant, app, "Sites.ReadWrite.All");
    }

    private io.docbridge.host.auth.User administrator() {
        return new io.docbridge.host.auth.Users(a.host().jdbi(), java.time.Clock.systemUTC()).find("admin")
                .orElseThrow();
    }

    private static long count(TestHost host, String sql) {
        return host.host().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
