package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.TestPlugins;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings → Storage over HTTP, with storage types contributed by plugins built for the test. */
class StorageSettingsHttpTest {
    @TempDir
    Path root;
    TestHost host;
    WebClient admin;

    @BeforeEach
    void start() throws Exception {
        TestPlugins.hello(root.resolve("plugins"));
        TestPlugins.failingStorage(root.resolve("plugins"));
        host = TestHost.start(root);
        admin = host.admin();
        admin.post("/projects", Map.of("code", "PRJ", "name", "Project"));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private String addProvider(String typeId, Map<String, String> form) {
        admin.get("/settings/storage/add/" + typeId);
        HttpResponse<String> response = admin.post("/settings/storage/add/" + typeId, form);
        assertEquals(303, response.statusCode(), response.body());
        return WebClient.find(response.headers().firstValue("Location").orElseThrow(), "#provider-([0-9a-f-]{36})");
    }

    private void makeDefault(String providerId) {
        assertTrue(admin.get("/settings/storage/" + providerId + "/default").body().contains("Set as Default"));
        assertEquals(303, admin.post("/settings/storage/" + providerId + "/default", Map.of()).statusCode());
    }

    private String createDocument(String title, String content) {
        admin.get("/documents/new");
        HttpResponse<String> response = admin.upload("/documents/new", Map.of("project", "1", "number", "",
                "title", title, "type", "Report", "status", "Draft", "code", "A"), title + ".txt",
                content.getBytes(StandardCharsets.UTF_8));
        return response.statusCode() == 303 ? admin.follow(response).body() : response.body();
    }

    @Test
    void addProviderListsTheHostsTypeAndEveryPluginsType() {
        String page = admin.get("/settings/storage/add").body();

        assertTrue(page.contains("id=\"type-local-disk\""));
        assertTrue(page.contains("id=\"type-hello-storage\""));
        assertTrue(page.contains("id=\"type-failing-storage\""));
    }

    @Test
    void aPluginsOwnSettingsTemplateIsRenderedInsideTheHostPage() {
        String page = admin.get("/settings/storage/add/hello-storage").body();

        assertTrue(page.contains("id=\"hello-settings\""), page);
        assertTrue(page.contains("href=\"/plugins/hello/public\""), "pluginBase was not given to the template");
        assertTrue(page.contains("name=\"_csrf\""));
    }

    @Test
    void aSettingThePluginRefusesIsShownNextToItsFieldAndTheSecretIsNotSentBack() {
        admin.get("/settings/storage/add/hello-storage");

        HttpResponse<String> response = admin.post("/settings/storage/add/hello-storage",
                Map.of("name", "Hello", "greeting", "forbidden", "apiKey", "s3cr3t-api-key"));

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("id=\"error-greeting\""), response.body());
        assertTrue(response.body().contains("That greeting is not allowed"));
        assertFalse(response.body().contains("s3cr3t-api-key"), "a secret was rendered back into the page");
    }

    @Test
    void secretSettingsAreEncryptedAtRestAndReachThePlugin() throws Exception {
        String id = addProvider("hello-storage", Map.of("name", "Hello", "greeting", "hi", "apiKey", "s3cr3t-api-key"));

        // The plugin's create() checks the key it reads back from the secret store.
        admin.get("/settings/storage");
        admin.post("/settings/storage/" + id + "/verify", Map.of());
        assertTrue(admin.get("/settings/storage").body().contains("Verified"));
        host.close();
        String dump = databaseDump();
        assertFalse(dump.contains("s3cr3t-api-key"), "the secret is stored in plain text");
        host = TestHost.start(root);
    }

    private String databaseDump() throws Exception {
        Path script = root.resolve("dump.sql");
        String url = "jdbc:h2:file:" + host.dataDir.resolve("docbridge");
        try (var connection = DriverManager.getConnection(url, "sa", "");
             var statement = connection.createStatement()) {
            statement.execute("SCRIPT TO '" + script + "'");
        }
        return Files.readString(script);
    }

    @Test
    void setAsDefaultSendsNewRevisionsThereAndEarlierOnesStayWhereTheyWere() {
        String before = createDocument("before", "stored on local disk");
        String id = addProvider("hello-storage", Map.of("name", "Hello", "greeting", "hi", "apiKey", "s3cr3t-api-key"));
        makeDefault(id);

        String after = createDocument("after", "stored in hello");

        assertTrue(after.contains("<td title=\"PRJ/PRJ-0002/A/after.txt\">Hello</td>"), after);
        assertTrue(before.contains(">Local disk</td>"));
        String oldDownload = WebClient.find(before, "href=\"(/revisions/\\d+/download)\"");
        assertEquals("stored on local disk", new String(admin.download(oldDownload).body(), StandardCharsets.UTF_8));
        String newDownload = WebClient.find(after, "href=\"(/revisions/\\d+/download)\"");
        assertEquals("stored in hello", new String(admin.download(newDownload).body(), StandardCharsets.UTF_8));
    }

    @Test
    void aStorageThatFailsOnWriteLeavesNoHalfCreatedDocument() {
        makeDefault(addProvider("failing-storage", Map.of("name", "Flaky")));

        String page = createDocument("doomed", "never stored");

        assertTrue(page.contains("The storage service dropped the connection"), page);
        assertTrue(page.contains("Nothing was created."));
        assertFalse(admin.get("/documents").body().contains("doomed"), "a document exists without its file");
    }

    @Test
    void verificationOfAFailingStorageShowsItsReasonOnARedBadge() {
        String id = addProvider("failing-storage", Map.of("name", "Flaky"));
        admin.get("/settings/storage");

        admin.follow(admin.post("/settings/storage/" + id + "/verify", Map.of()));

        String page = admin.get("/settings/storage").body();
        String card = page.substring(page.indexOf("id=\"provider-" + id + "\""));
        assertTrue(card.contains("badge-bad\">Failed"), card);
        assertTrue(card.contains("The storage service dropped the connection"));
    }

    @Test
    void theDefaultCannotBeRemoved() {
        String localDisk = WebClient.find(admin.get("/settings/storage").body(), "id=\"provider-([0-9a-f-]{36})\"");

        String page = admin.follow(admin.post("/settings/storage/" + localDisk + "/remove", Map.of())).body();

        assertTrue(page.contains("is the default"), page);
        assertTrue(page.contains("id=\"provider-" + localDisk + "\""));
    }

    @Test
    void aProviderHoldingRevisionsCannotBeRemovedButAnEmptyOneCan() {
        String localDisk = WebClient.find(admin.get("/settings/storage").body(), "id=\"provider-([0-9a-f-]{36})\"");
        createDocument("kept", "x");
        String hello = addProvider("hello-storage", Map.of("name", "Hello", "greeting", "hi", "apiKey", "s3cr3t-api-key"));
        makeDefault(hello);
        String spare = addProvider("local-disk", Map.of("name", "Spare disk", "folder", "spare"));
        admin.get("/settings/storage");

        String refused = admin.follow(admin.post("/settings/storage/" + localDisk + "/remove", Map.of())).body();
        String removed = admin.follow(admin.post("/settings/storage/" + spare + "/remove", Map.of())).body();

        assertTrue(refused.contains("holds 1 revision file(s)"), refused);
        assertTrue(refused.contains("id=\"provider-" + localDisk + "\""));
        assertFalse(removed.contains("id=\"provider-" + spare + "\""));
    }

    @Test
    void aLocalDiskFolderThatCannotBeCreatedIsExplained() throws Exception {
        Files.writeString(host.dataDir.resolve("occupied"), "a file, not a folder");
        admin.get("/settings/storage/add/local-disk");

        HttpResponse<String> response = admin.post("/settings/storage/add/local-disk",
                Map.of("name", "Broken", "folder", "occupied/sub"));

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("Cannot create the folder"), response.body());
    }

    @Test
    void editRenamesAProviderAndRefusesToMoveTheFolderItsRevisionsAreIn() {
        String disk = addProvider("local-disk", Map.of("name", "Spare disk", "folder", "spare"));
        String form = admin.get("/settings/storage/" + disk + "/edit").body();
        assertTrue(form.contains("value=\"Spare disk\"") && form.contains("value=\"spare\""), form);

        HttpResponse<String> moved = admin.post("/settings/storage/" + disk + "/edit", Map.of("name", "Spare disk",
                "folder", "elsewhere"));
        assertEquals(400, moved.statusCode());
        assertTrue(moved.body().contains("The folder of a saved provider cannot change"), moved.body());

        HttpResponse<String> renamed = admin.post("/settings/storage/" + disk + "/edit", Map.of("name", "Archive disk",
                "folder", "spare"));
        assertEquals(303, renamed.statusCode(), renamed.body());
        String page = admin.follow(renamed).body();
        assertTrue(page.contains("Archive disk") && !page.contains("Spare disk"), page);
        assertTrue(page.contains("<dt>Folder</dt><dd>spare</dd>"), page);
        assertEquals(2, page.split("class=\"card provider\"").length - 1, "Edit added a provider");
    }

    @Test
    void editIsForAdministratorsOnly() {
        String disk = addProvider("local-disk", Map.of("name", "Spare disk", "folder", "spare"));
        admin.post("/admin/users", Map.of("username", "adele", "displayName", "Adele", "password",
                "adele's long password"));
        WebClient adele = host.client();
        adele.login("adele", "adele's long password");

        assertEquals(403, adele.get("/settings/storage/" + disk + "/edit").statusCode());
        assertEquals(403, adele.post("/settings/storage/" + disk + "/edit", Map.of("name", "Mine", "folder", "spare"))
                .statusCode());
        assertTrue(admin.get("/settings/storage").body().contains("Spare disk"));
    }
}
