package io.docbridge.host;

import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.graph.Subscriptions;
import io.docbridge.host.testing.OneDriveConnect;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push sync end to end: the host subscribes a drive it adds (the emulator validates the host's notification URL), a
 * change in OneDrive reaches My Files within seconds without Sync Now, subscriptions are renewed before they end and
 * made again when the service lost them, Disconnect ends them, a forged notification changes nothing, and a host the
 * service cannot reach says so on Integrations and keeps syncing on its schedule.
 */
class PushSyncTest {
    @TempDir
    Path root;
    TestHost host;
    M365Emulator emulator;
    WebClient admin;

    void start(String publicUrl) throws Exception {
        host = publicUrl == null ? TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip")
                : TestHost.withMicrosoftPlugins(root, c -> c.withPublicBaseUrl(publicUrl), "onedrive-plugin.zip");
        emulator = host.host().emulator().orElseThrow();
        admin = host.admin();
    }

    @BeforeEach
    void reset() {
        host = null;
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private DriveStore.Drive adminsOneDrive() {
        return emulator.drives().drives().stream().filter(d -> d.owner().email().startsWith("adele@")).findFirst()
                .orElseThrow();
    }

    private List<Subscriptions.Subscription> subscriptionsOf(DriveStore.Drive drive) {
        return emulator.subscriptions().list().stream().filter(s -> s.driveId().equals(drive.id())).toList();
    }

    private static void within(Duration time, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + time + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private String connected() throws Exception {
        String id = OneDriveConnect.add(admin, emulator, "adele").driveId();
        admin.afterSync("/files/" + id, "Welcome.txt");
        return id;
    }

    private void addInOneDrive(String name) {
        DriveStore.Drive drive = adminsOneDrive();
        emulator.drives().commitFile(drive.id(), emulator.drives().rootId(drive.id()), name, emulator.drives()
                .stage(new ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8))), "fail", DriveStore.Actor.SYSTEM);
    }

    private String metrics() {
        return host.host().metrics().scrape();
    }

    @Test
    void aFileAddedInOneDriveAppearsInMyFilesWithinSecondsWithoutSyncNow() throws Exception {
        start(null);
        String id = connected();
        within(Duration.ofSeconds(5), () -> subscriptionsOf(adminsOneDrive()).size() == 1, "subscribed");
        Subscriptions.Subscription sub = subscriptionsOf(adminsOneDrive()).get(0);
        assertEquals(host.url("/notifications/onedrive").toString(), sub.notificationUrl());
        assertTrue(sub.expires().isAfter(Instant.now().plus(Duration.ofDays(2))));

        long before = System.nanoTime();
        addInOneDrive("Pushed by Microsoft.txt");
        within(Duration.ofSeconds(5), () -> admin.get("/files/" + id).body().contains("Pushed by Microsoft.txt"),
                "the pushed file in My Files");
        System.out.printf("push sync: a file added in OneDrive was in My Files after %d ms%n",
                (System.nanoTime() - before) / 1_000_000);
        assertTrue(admin.get("/admin/integrations").body().contains("1 drive get changes pushed"));
    }

    @Test
    void subscriptionsAreRenewedBeforeTheyEndAndMadeAgainWhenTheServiceLostThem() throws Exception {
        start(null);
        String id = connected();
        within(Duration.ofSeconds(5), () -> subscriptionsOf(adminsOneDrive()).size() == 1, "subscribed");
        Subscriptions.Subscription first = subscriptionsOf(adminsOneDrive()).get(0);
        // Two and a half days later, as the host sees it: less than a day left.
        host.host().jdbi().useHandle(h -> h.createUpdate("UPDATE drive_push SET expires_at = :e WHERE drive_id = :d")
                .bind("e", Instant.now().plus(Duration.ofHours(12)).atOffset(ZoneOffset.UTC)).bind("d", id).execute());

        host.host().externalDrives().push().maintain();

        Subscriptions.Subscription renewed = subscriptionsOf(adminsOneDrive()).get(0);
        assertEquals(first.id(), renewed.id());
        assertTrue(renewed.expires().isAfter(first.expires().minusSeconds(5)), "renewed for another three days");

        emulator.subscriptions().lose(first.id()); // the service forgot it (a restart on its side)
        host.host().jdbi().useHandle(h -> h.createUpdate("UPDATE drive_push SET expires_at = :e WHERE drive_id = :d")
                .bind("e", Instant.now().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC)).bind("d", id).execute());
        host.host().externalDrives().push().maintain();

        List<Subscriptions.Subscription> now = subscriptionsOf(adminsOneDrive());
        assertEquals(1, now.size());
        assertNotEquals(first.id(), now.get(0).id(), "a new subscription replaced the lost one");
        addInOneDrive("After the renewal.txt");
        within(Duration.ofSeconds(5), () -> admin.get("/files/" + id).body().contains("After the renewal.txt"),
                "pushed through the new subscription");
    }

    /** Drive syncs run so far, as the host counts them. */
    private long syncRuns() {
        return host.host().metrics().find("docbridge.task.runs").tag("task", "host:drive-sync").timers().stream()
                .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    }

    @Test
    void aBurstOfNotificationsCostsOneSyncOrTwo() throws Exception {
        start(null);
        String id = connected();
        within(Duration.ofSeconds(5), () -> subscriptionsOf(adminsOneDrive()).size() == 1, "subscribed");
        Subscriptions.Subscription sub = subscriptionsOf(adminsOneDrive()).get(0);
        Thread.sleep(500); // the first sync's run is counted
        long before = syncRuns();
        String notification = "{\"value\":[{\"subscriptionId\":\"" + sub.id() + "\",\"clientState\":\""
                + sub.clientState() + "\",\"changeType\":\"updated\",\"resource\":\"" + sub.resource() + "\"}]}";
        HttpClient client = HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(client.sendAsync(HttpRequest.newBuilder(URI.create(host.url("/notifications/onedrive")
                            .toString())).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(notification)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var answer : burst) {
            assertEquals(202, answer.get().statusCode());
        }
        Thread.sleep(3000); // time for every run the burst caused
        long runs = syncRuns() - before;

        // One sync for the notifications of the first second; any that arrive while it runs add one more, at most.
        assertTrue(runs >= 1 && runs <= 2, "20 notifications caused " + runs + " syncs");
        assertTrue(metrics().contains("docbridge_push_notifications_total{outcome=\"accepted\"} 20.0"), metrics());
        admin.afterSync("/files/" + id, "Welcome.txt");
    }

    /**
     * A subscription still being made when the host stops is waited for before the plugins are unloaded: it runs the
     * plugin's code, and an unloaded plugin's code that still runs fails in ways that outlive it (a later test in the
     * same JVM once failed with a LinkageError from such a thread).
     */
    @Test
    void theHostWaitsForASubscriptionUnderWayBeforeItUnloadsThePlugins() throws Exception {
        start(null);
        emulator.faults().answerLate("POST", "/subscriptions", Duration.ofSeconds(3));
        OneDriveConnect.add(admin, emulator, "adele");
        within(Duration.ofSeconds(10), () -> !subscriptionsOf(adminsOneDrive()).isEmpty(), "subscription made, its "
                + "answer held back");

        host.close();
        host = null;

        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("push-subscribe")
                && t.isAlive()), "no subscription is still being made once the host has stopped");
    }

    @Test
    void disconnectEndsTheSubscription() throws Exception {
        start(null);
        String id = connected();
        within(Duration.ofSeconds(5), () -> subscriptionsOf(adminsOneDrive()).size() == 1, "subscribed");

        admin.get("/files/" + id + "/disconnect");
        assertEquals(303, admin.post("/files/" + id + "/disconnect", Map.of()).statusCode());

        assertEquals(List.of(), subscriptionsOf(adminsOneDrive()));
    }

    @Test
    void aNotificationWithTheWrongClientStateChangesNothing() throws Exception {
        start(null);
        String id = connected();
        within(Duration.ofSeconds(5), () -> subscriptionsOf(adminsOneDrive()).size() == 1, "subscribed");
        String subscriptionId = subscriptionsOf(adminsOneDrive()).get(0).id();
        addInOneDrive("Not yet synced.txt");
        emulator.subscriptions().lose(subscriptionId); // so only the forger's notification arrives

        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(host.url("/notifications/onedrive").toString())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":[{\"subscriptionId\":\"" + subscriptionId
                        + "\",\"clientState\":\"guessed\",\"changeType\":\"updated\",\"resource\":\"x\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(202, forged.statusCode());
        Thread.sleep(1500);
        assertTrue(!admin.get("/files/" + id).body().contains("Not yet synced.txt"), "no sync was started");
        assertTrue(metrics().contains("docbridge_push_notifications_total{outcome=\"forged\"} 1.0"), metrics());
        HttpResponse<String> junk = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(host.url("/notifications/onedrive").toString()))
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, junk.statusCode());
    }

    @Test
    void whenMicrosoftCannotReachTheHostIntegrationsSaysSoAndTheDriveStillSyncs() throws Exception {
        start("http://127.0.0.1:9/"); // a public address nothing answers at
        String id = OneDriveConnect.add(admin, emulator, "adele").driveId();
        admin.afterSync("/files/" + id, "Welcome.txt");

        within(Duration.ofSeconds(15), () -> admin.get("/admin/integrations").body().contains("id=\"push-off\""),
                "push reported off");
        String page = admin.get("/admin/integrations").body();
        assertTrue(page.contains("Push sync is off for 1 drive: OneDrive could not reach "
                + "http://127.0.0.1:9/notifications/onedrive"), page);
        assertEquals(List.of(), subscriptionsOf(adminsOneDrive()));
        addInOneDrive("Synced on schedule.txt");
        admin.post("/files/" + id + "/sync", Map.of());
        admin.afterSync("/files/" + id, "Synced on schedule.txt");
    }
}
