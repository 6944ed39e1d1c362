package io.docbridge.host;

import io.docbridge.emulator.M365Emulator;
import io.docbridge.host.testing.Cluster;
import io.docbridge.host.testing.Postgres;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances of the host on one PostgreSQL: started at the same moment they make the first administrator and the
 * first storage provider once; an instance whose secret key differs refuses to start and says what to do.
 */
class ClusterStartTest {
    @TempDir
    Path root;
    Postgres postgres;

    @BeforeEach
    void database() throws Exception {
        postgres = Postgres.create();
    }

    @AfterEach
    void drop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private TestHost start(String instance, String key) {
        return TestHost.start(root.resolve(instance), c -> c.withDatabase(postgres.url(), postgres.user(),
                postgres.password()).withSecretKey(key));
    }

    @Test
    void twoInstancesStartingAtOnceMakeOneAdministratorAndOneDefaultStorage() throws Exception {
        String key = Cluster.newSecretKey();
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<TestHost> a = CompletableFuture.supplyAsync(() -> {
            await(together);
            return start("a", key);
        });
        CompletableFuture<TestHost> b = CompletableFuture.supplyAsync(() -> {
            await(together);
            return start("b", key);
        });
        try (TestHost first = a.join(); TestHost second = b.join()) {
            var db = first.host().jdbi();
            java.util.function.Function<String, Long> count = sql -> db.withHandle(h -> h.createQuery(sql)
                    .mapTo(Long.class).one());
            assertEquals(1L, count.apply("SELECT COUNT(*) FROM users"));
            assertEquals(1L, count.apply("SELECT COUNT(*) FROM storage_providers"));
            assertEquals(1L, count.apply("SELECT COUNT(*) FROM storage_providers WHERE is_default"));
            // Either instance signs the administrator in and reads the same storage.
            assertTrue(first.admin().get("/settings/storage").body().contains("Local disk"));
            assertTrue(second.admin().get("/settings/storage").body().contains("Local disk"));
        }
    }

    @Test
    void twoOfflineInstancesStartingAtOnceShareOneEmulator() throws Exception {
        String key = Cluster.newSecretKey();
        String balancer = Cluster.balancerAddress();
        CyclicBarrier together = new CyclicBarrier(2);
        java.util.function.Function<String, CompletableFuture<TestHost>> starting = name ->
                CompletableFuture.supplyAsync(() -> {
                    await(together);
                    try {
                        return TestHost.withMicrosoftPlugins(root.resolve(name), c -> c.withDatabase(postgres.url(),
                                postgres.user(), postgres.password()).withSecretKey(key).withPublicBaseUrl(balancer),
                                "onedrive-plugin.zip");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        CompletableFuture<TestHost> a = starting.apply("a");
        CompletableFuture<TestHost> b = starting.apply("b");
        try (TestHost first = a.join(); TestHost second = b.join()) {
            int emulators = (first.host().emulator().isPresent() ? 1 : 0)
                    + (second.host().emulator().isPresent() ? 1 : 0);
            assertEquals(1, emulators, "each instance started an emulator of its own");
            String cloud = first.host().services().integrations().values(OfflineDemo.INTEGRATION).get("cloud");
            assertEquals(cloud, second.host().services().integrations().values(OfflineDemo.INTEGRATION).get("cloud"));
            M365Emulator running = first.host().emulator().or(() -> second.host().emulator()).orElseThrow();
            assertEquals(running.baseUrl().toString(), cloud);
        }
    }

    @Test
    void anInstanceWithAnotherSecretKeyRefusesToStartAndSaysWhy() {
        try (TestHost first = start("a", Cluster.newSecretKey())) {
            HostStartupException refused = assertThrows(HostStartupException.class, () -> start("b", Cluster.newSecretKey()));
            assertTrue(refused.getMessage().contains("Give every instance the same key: set DOCBRIDGE_SECRET_KEY"),
                    refused.getMessage());
            assertEquals(200, first.admin().get("/settings/storage").statusCode());
        }
    }

    @Test
    void aPersonSignedInOnOneInstanceIsSignedInOnTheOtherAndARestartSignsNobodyOut() throws Exception {
        String key = Cluster.newSecretKey();
        TestHost a = start("a", key);
        try {
            WebClient browser = a.admin();
            browser.get("/settings/storage");
            try (TestHost b = start("b", key)) {
                WebClient viaB = browser.at(b.host().localUrl());
                HttpResponse<String> page = viaB.get("/settings/storage");
                assertEquals(200, page.statusCode(), "signed out on the other instance: " + page.headers().map());
                assertTrue(page.body().contains("Local disk"));
                // A form from A's page is accepted by B (the session, with its form token, is shared).
                HttpResponse<String> created = viaB.post("/projects", java.util.Map.of("code", "CL", "name", "Cluster"));
                assertEquals(303, created.statusCode(), created.body());
            }
            a.close();
            a = start("a", key);
            HttpResponse<String> after = browser.at(a.host().localUrl()).get("/documents");
            assertEquals(200, after.statusCode(), "the restart signed the person out");
            assertTrue(after.body().contains("Cluster"), after.body());
        } finally {
            a.close();
        }
    }

    @Test
    void wrongPasswordsSpreadOverTwoInstancesAddUp() {
        String key = Cluster.newSecretKey();
        try (TestHost a = start("a", key); TestHost b = start("b", key)) {
            for (int i = 0; i < 4; i++) {
                TestHost instance = i % 2 == 0 ? a : b;
                WebClient guesser = instance.client();
                guesser.get("/login");
                assertEquals(401, guesser.post("/login", java.util.Map.of("username", "admin", "password",
                        "guess " + i)).statusCode());
            }
            WebClient fifth = b.client();
            fifth.get("/login");
            assertEquals(429, fifth.post("/login", java.util.Map.of("username", "admin", "password", "guess 5"))
                    .statusCode(), "the guesses on the other instance were not counted");
            WebClient right = a.client();
            right.get("/login");
            assertEquals(429, right.post("/login", java.util.Map.of("username", "admin", "password",
                    TestHost.ADMIN_PASSWORD)).statusCode(), "locked on one instance, open on the other");
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
