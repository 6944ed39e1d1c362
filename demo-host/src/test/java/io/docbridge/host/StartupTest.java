package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.TestPlugins;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up: state survives a restart; what cannot work is refused with a message for the console. */
class StartupTest {
    @TempDir
    Path root;

    @Test
    void documentsAndUsersSurviveARestart() {
        try (TestHost host = TestHost.start(root)) {
            var admin = host.admin();
            admin.post("/projects", Map.of("code", "KEEP", "name", "Kept"));
        }
        try (TestHost host = TestHost.start(root)) {
            assertTrue(host.admin().get("/documents").body().contains("KEEP"));
        }
    }

    @Test
    void theSignInPageAnswersWhileThePluginsStartAndSigningInWaitsForThem() throws Exception {
        Path release = root.resolve("plugin-may-finish-starting");
        TestPlugins.slowStart(root.resolve("plugins"), release);
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        int chosenPort = port;
        CompletableFuture<TestHost> starting = CompletableFuture.supplyAsync(
                () -> TestHost.start(root, c -> c.withPort(chosenPort)));
        try {
            WebClient web = new WebClient(URI.create("http://localhost:" + port + "/"));
            HttpResponse<String> signIn = firstAnswer(web, "/login", starting);

            assertEquals(200, signIn.statusCode());
            assertTrue(signIn.body().contains("Docbridge is starting its plugins"), signIn.body());
            HttpResponse<String> ready = web.get("/readyz");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("plugins starting"), ready.body());
            assertEquals(303, web.get("/documents").statusCode(), "a stranger was not sent to the sign-in page");
            // Signing in waits (on a fresh database the first administrator is made beside the plugins' start), and
            // so does every page behind it.
            CompletableFuture<HttpResponse<String>> signingIn = CompletableFuture.supplyAsync(() -> web.post("/login",
                    Map.of("username", "admin", "password", TestHost.ADMIN_PASSWORD, "next", "/documents")));
            Thread.sleep(300);
            assertFalse(signingIn.isDone(), "signing in answered before the plugins had started");

            Files.createFile(release);
            assertEquals(303, signingIn.get(1, TimeUnit.MINUTES).statusCode());
            assertEquals(200, web.get("/documents").statusCode());
            try (TestHost host = starting.get(1, TimeUnit.MINUTES)) {
                assertEquals("STARTED", host.host().plugins().plugin("slow-start").orElseThrow().state());
                HttpResponse<String> readyNow = web.get("/readyz");
                assertEquals(200, readyNow.statusCode(), readyNow.body());
                assertFalse(web.get("/documents").body().contains("Docbridge is starting its plugins"));
            }
        } finally {
            if (Files.notExists(release)) {
                Files.createFile(release);
            }
        }
    }

    @Test
    void anUploadThatArrivesWhileThePluginsStartIsKept() throws Exception {
        // Someone signed in before a restart sends a document while the host starts again. Its file is spooled
        // before the request waits at the start gate; the start's clearing up after a killed run must leave it.
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        int chosenPort = port;
        WebClient web;
        try (TestHost before = TestHost.start(root, c -> c.withPort(chosenPort))) {
            web = before.admin();
            assertEquals(303, web.post("/projects", Map.of("code", "UP", "name", "Uploads")).statusCode());
            web.get("/documents/new");
        }
        Path release = root.resolve("plugin-may-finish-starting");
        TestPlugins.slowStart(root.resolve("plugins"), release);
        CompletableFuture<TestHost> starting = CompletableFuture.supplyAsync(
                () -> TestHost.start(root, c -> c.withPort(chosenPort)));
        try {
            firstAnswer(web, "/login", starting);
            byte[] file = new byte[1024 * 1024]; // above the size Jetty keeps in memory: spooled to a file
            new java.util.Random(7).nextBytes(file);
            CompletableFuture<HttpResponse<String>> uploading = CompletableFuture.supplyAsync(() -> web.upload(
                    "/documents/new", Map.of("project", "1", "number", "", "title", "Sent while starting", "type",
                            "Drawing", "status", "Draft", "code", "A"), "while-starting.bin", file));
            Path spool = root.resolve("data/uploads");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (isEmpty(spool) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(isEmpty(spool), "the upload was not spooled while the plugins started");

            Files.createFile(release);
            HttpResponse<String> created = uploading.get(1, TimeUnit.MINUTES);
            assertEquals(303, created.statusCode(), created.body());
            try (TestHost host = starting.get(1, TimeUnit.MINUTES)) {
                String page = web.follow(created).body();
                String download = WebClient.find(page, "href=\"(/revisions/\\d+/download)\"");
                org.junit.jupiter.api.Assertions.assertArrayEquals(file, web.download(download).body());
            }
        } finally {
            if (Files.notExists(release)) {
                Files.createFile(release);
            }
        }
    }

    private static boolean isEmpty(Path folder) throws java.io.IOException {
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }

    /** The first answer to a GET of path; fails if the host stops starting or has not answered within a minute. */
    private static HttpResponse<String> firstAnswer(WebClient web, String path, CompletableFuture<?> starting)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline && !starting.isCompletedExceptionally()) {
            try {
                return web.get(path);
            } catch (RuntimeException notListeningYet) {
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the host did not answer " + path + " while its plugins were starting");
    }

    @Test
    void uploadSpoolFilesLeftByAKilledProcessAreRemovedAtStart() throws Exception {
        java.nio.file.Path uploads = java.nio.file.Files.createDirectories(root.resolve("data/uploads"));
        java.nio.file.Path left = java.nio.file.Files.writeString(uploads.resolve("MultiPart123.tmp"), "half a file");

        try (TestHost host = TestHost.start(root)) {
            assertTrue(java.nio.file.Files.notExists(left), "a spool file of the killed process was kept");
        }
    }

    @Test
    void aDamagedDatabaseFileGivesAClearStartupError() throws Exception {
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/docbridge.mv.db"), "this is not an H2 database ".repeat(200));

        HostStartupException e = assertThrows(HostStartupException.class, () -> TestHost.start(root));

        assertTrue(e.getMessage().startsWith("Cannot open the database at jdbc:h2:file:"), e.getMessage());
        assertTrue(e.getMessage().contains("not damaged"), e.getMessage());
    }

    @Test
    void aDataFolderThatIsAFileGivesAClearStartupError() throws Exception {
        Files.writeString(root.resolve("data"), "not a folder");

        HostStartupException e = assertThrows(HostStartupException.class, () -> TestHost.start(root));

        assertTrue(e.getMessage().startsWith("Cannot create the data folder"), e.getMessage());
    }

    @Test
    void theFirstAdministratorIsCreatedOnceWithAGeneratedPasswordWhenNoneIsGiven() {
        Path data = root.resolve("gen");
        try (DocbridgeHost host = DocbridgeHost.start(HostConfig.of(data.resolve("data"), data.resolve("plugins")))) {
            String password = host.generatedAdminPassword().orElseThrow();
            assertEquals(16, password.length());
        }
        try (DocbridgeHost again = DocbridgeHost.start(HostConfig.of(data.resolve("data"), data.resolve("plugins")))) {
            assertTrue(again.generatedAdminPassword().isEmpty(), "a second administrator password was generated");
        }
    }
}
