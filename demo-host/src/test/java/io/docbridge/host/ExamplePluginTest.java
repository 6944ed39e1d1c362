package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example plugin (examples/compressed-folder-storage), written only against plugin-api, dropped into a host's
 * plugins folder as its archive: an administrator adds a provider through its form, verifies it, makes it the
 * default, and a revision is stored there compressed and downloads as it was uploaded.
 */
class ExamplePluginTest {
    @TempDir
    Path root;
    TestHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void anAdministratorAddsTheExampleStorageAndARevisionIsStoredThere() throws Exception {
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("docbridge.test.plugins", "target/plugins"))
                .resolve("compressed-folder-storage.zip"), plugins.resolve("compressed-folder-storage.zip"));
        host = TestHost.start(root);
        WebClient admin = host.admin();
        Path archive = root.resolve("archive");

        assertTrue(admin.get("/settings/storage/add").body().contains("id=\"type-compressed-folder\""));
        String form = admin.get("/settings/storage/add/compressed-folder").body();
        assertTrue(form.contains("name=\"folder\""), form);
        assertTrue(admin.post("/settings/storage/add/compressed-folder", Map.of("name", "Archive", "folder",
                "relative/path")).body().contains("Folder must be an absolute path"));
        HttpResponse<String> added = admin.post("/settings/storage/add/compressed-folder", Map.of("name", "Archive",
                "folder", archive.toString()));
        assertEquals(303, added.statusCode(), added.body());
        String id = WebClient.find(added.headers().firstValue("Location").orElseThrow(), "#provider-([0-9a-f-]{36})");

        String verified = admin.follow(admin.post("/settings/storage/" + id + "/verify", Map.of())).body();
        assertTrue(verified.substring(verified.indexOf("id=\"provider-" + id + "\"")).contains("badge-ok\">Verified"));
        admin.get("/settings/storage/" + id + "/default");
        assertEquals(303, admin.post("/settings/storage/" + id + "/default", Map.of()).statusCode());

        admin.post("/projects", Map.of("code", "PRJ-1", "name", "Harbour bridge"));
        admin.get("/documents/new");
        byte[] file = "general arrangement, revision A\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        String doc = admin.follow(admin.upload("/documents/new", Map.of("project", "1", "number", "", "title",
                "General arrangement", "type", "Drawing", "status", "Draft", "code", "A"), "GA.txt", file)).body();

        Path stored;
        try (var walk = Files.walk(archive)) {
            stored = walk.filter(p -> p.toString().endsWith("GA.txt.gz")).findFirst().orElseThrow();
        }
        assertTrue(Files.size(stored) < file.length / 10, "stored compressed");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(stored))) {
            assertArrayEquals(file, in.readAllBytes());
        }
        assertArrayEquals(file, admin.download(WebClient.find(doc, "href=\"(/revisions/\\d+/download)\"")).body());
    }
}
