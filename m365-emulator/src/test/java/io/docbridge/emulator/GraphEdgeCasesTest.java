package io.docbridge.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.drives.item.items.item.createuploadsession.CreateUploadSessionPostRequestBody;
import com.microsoft.graph.models.DriveItem;
import com.microsoft.graph.models.UploadSession;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.docbridge.emulator.graph.QuickXorHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The less travelled paths: other users' drives, quota, cancelled and expired sessions, faults, copy, $select. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphEdgeCasesTest {
    Contoso contoso;
    GraphServiceClient adele;
    String token;
    HttpClient http;

    @BeforeAll
    void start() throws Exception {
        contoso = new Contoso();
        token = contoso.adeleToken();
        adele = contoso.graph(token);
        http = HttpClient.newBuilder().sslContext(contoso.emulator.clientSslContext()).build();
    }

    @AfterEach
    void clearFaults() {
        contoso.emulator.faults().clear();
        contoso.emulator.drives().rewriteOfficeFiles(false);
    }

    @AfterAll
    void stop() {
        contoso.close();
    }

    HttpResponse<String> send(String method, String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, json == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request to a pre-authenticated link (an upload URL), which must not carry the token. */
    HttpResponse<String> sendWithoutToken(String method, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    DriveItem put(String driveId, String path, byte[] bytes) {
        return adele.drives().byDriveId(driveId).items().byDriveItemId("root:/" + path + ":").content()
                .put(new ByteArrayInputStream(bytes));
    }

    String unique() {
        return "e-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void usersDrivesAreTheirOwnAndTheRootSiteIsFound() {
        assertEquals(contoso.adeleDrive.id(), adele.users().byUserId(contoso.adele.id()).drive().get().getId());
        assertEquals(1, adele.me().drives().get().getValue().size());
        ODataError foreign = assertThrows(ODataError.class,
                () -> adele.users().byUserId(contoso.nestor.id()).drive().get());
        assertEquals(403, foreign.getResponseStatusCode());
        assertEquals("Communication site", adele.sites().bySiteId("root").get().getDisplayName());
    }

    @Test
    void tokenLatestGivesADeltaLinkAndNoItems() throws Exception {
        JsonNode page = Json.MAPPER.readTree(send("GET", contoso.emulator.graphUrl() + "/drives/"
                + contoso.documents.id() + "/root/delta?token=latest", null).body());

        assertEquals(0, page.path("value").size());
        assertTrue(page.path("@odata.deltaLink").asText().contains("?token="));
    }

    @Test
    void aCancelledOrExpiredUploadSessionIsGone() throws Exception {
        String folder = unique();
        UploadSession cancelled = adele.drives().byDriveId(contoso.documents.id()).items()
                .byDriveItemId("root:/" + folder + "-a.bin:").createUploadSession()
                .post(new CreateUploadSessionPostRequestBody());
        UploadSession expired = adele.drives().byDriveId(contoso.documents.id()).items()
                .byDriveItemId("root:/" + folder + "-b.bin:").createUploadSession()
                .post(new CreateUploadSessionPostRequestBody());

        assertEquals(204, sendWithoutToken("DELETE", cancelled.getUploadUrl()).statusCode());
        HttpResponse<String> afterCancel = sendWithoutToken("GET", cancelled.getUploadUrl());
        contoso.emulator.clock().advance(Duration.ofHours(25));
        HttpResponse<String> afterExpiry;
        try {
            afterExpiry = sendWithoutToken("GET", expired.getUploadUrl());
        } finally {
            contoso.emulator.clock().advance(Duration.ofHours(-25));
        }

        assertEquals(404, afterCancel.statusCode());
        assertEquals(404, afterExpiry.statusCode());
        assertTrue(afterExpiry.body().contains("uploadSessionNotFound"));
    }

    @Test
    void aFullDriveRefusesUploadsWith507() {
        var tiny = contoso.emulator.drives().addLibrary(contoso.pdc, "Tiny " + unique(), 100);

        ODataError full = assertThrows(ODataError.class, () -> put(tiny.id(), "big.bin", new byte[200]));

        assertEquals(507, full.getResponseStatusCode());
        assertEquals("quotaLimitReached", full.getError().getCode());
    }

    @Test
    void aDroppedDownloadFailsTheReadAndTheNextDownloadIsWhole() throws Exception {
        byte[] bytes = new byte[512 * 1024];
        new Random(3).nextBytes(bytes);
        DriveItem file = put(contoso.documents.id(), unique() + ".bin", bytes);
        contoso.emulator.faults().dropNextDownloadAfter(64 * 1024);

        assertThrows(IOException.class, () -> {
            try (InputStream in = adele.drives().byDriveId(contoso.documents.id()).items().byDriveItemId(file.getId())
                    .content().get()) {
                in.readAllBytes();
            }
        });
        try (InputStream in = adele.drives().byDriveId(contoso.documents.id()).items().byDriveItemId(file.getId())
                .content().get()) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
    }

    @Test
    void aSimpleUploadByPathCreatesMissingFoldersButAnUploadSessionNeedsItsParent() {
        String name = unique();

        DriveItem file = put(contoso.documents.id(), name + "/PRJ-1/DOC-1/A/plan.pdf", new byte[]{1});
        ODataError noParent = assertThrows(ODataError.class, () -> adele.drives().byDriveId(contoso.documents.id())
                .items().byDriveItemId("root:/" + name + "/missing/big.bin:").createUploadSession()
                .post(new CreateUploadSessionPostRequestBody()));

        assertEquals("/drives/" + contoso.documents.id() + "/root:/" + name + "/PRJ-1/DOC-1/A",
                file.getParentReference().getPath());
        assertEquals(404, noParent.getResponseStatusCode());
    }

    @Test
    void sitesSelectedReachesOnlyTheSitesAnAdministratorGrantedWithTheGrantedRole() throws Exception {
        var directory = contoso.emulator.directory();
        var app = directory.addApp("Storage", java.util.List.of(Contoso.REDIRECT), java.util.List.of("app-secret"));
        directory.grantAppRole(contoso.tenant, app, "Sites.Selected");
        var admin = directory.addUser(contoso.tenant, "admin-" + unique(), "Megan Bowen", "admin-pw", true);
        String appToken = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(
                        contoso.emulator.authority(contoso.tenant.id()) + "oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + app.clientId()
                        + "&client_secret=app-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("access_token").asText();
        GraphServiceClient storage = contoso.graph(appToken);
        ODataError before = assertThrows(ODataError.class, () -> storage.drives().byDriveId(contoso.documents.id()).get());

        GraphServiceClient megan = contoso.graph(contoso.userToken(admin.userPrincipalName(), "admin-pw",
                "https://graph.microsoft.com/Sites.ReadWrite.All"));
        com.microsoft.graph.models.Permission grant = new com.microsoft.graph.models.Permission();
        grant.setRoles(java.util.List.of("write"));
        com.microsoft.graph.models.IdentitySet identity = new com.microsoft.graph.models.IdentitySet();
        com.microsoft.graph.models.Identity application = new com.microsoft.graph.models.Identity();
        application.setId(app.clientId());
        application.setDisplayName("Storage");
        identity.setApplication(application);
        grant.setGrantedToIdentities(java.util.List.of(identity));
        megan.sites().bySiteId(contoso.pdc.id()).permissions().post(grant);

        assertEquals(403, before.getResponseStatusCode());
        assertEquals("Documents", storage.drives().byDriveId(contoso.documents.id()).get().getName());
        DriveItem written = storage.drives().byDriveId(contoso.documents.id()).items()
                .byDriveItemId("root:/" + unique() + ".txt:").content().put(new ByteArrayInputStream(new byte[]{1}));
        assertEquals(1L, written.getSize());
        ODataError otherSite = assertThrows(ODataError.class, () -> storage.sites().bySiteId("root").get());
        assertEquals(403, otherSite.getResponseStatusCode());
    }

    @Test
    void aNameTakenWhenAnUploadSessionCommitsWithFailIsAConflict() throws Exception {
        String name = unique() + ".bin";
        put(contoso.documents.id(), name, new byte[]{1});
        CreateUploadSessionPostRequestBody body = new CreateUploadSessionPostRequestBody();
        com.microsoft.graph.models.DriveItemUploadableProperties props =
                new com.microsoft.graph.models.DriveItemUploadableProperties();
        props.getAdditionalData().put("@microsoft.graph.conflictBehavior", "fail");
        body.setItem(props);
        UploadSession session = adele.drives().byDriveId(contoso.documents.id()).items()
                .byDriveItemId("root:/" + name + ":").createUploadSession().post(body);

        HttpResponse<String> last = http.send(HttpRequest.newBuilder(URI.create(session.getUploadUrl()))
                .header("Content-Range", "bytes 0-2/3").PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[]{7, 8, 9}))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(409, last.statusCode());
        assertTrue(last.body().contains("nameAlreadyExists"));
    }

    @Test
    void latencyIsAddedToEveryRequest() {
        contoso.emulator.faults().latency(Duration.ofMillis(300));
        long t0 = System.nanoTime();

        adele.drives().byDriveId(contoso.documents.id()).get();

        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(300).toNanos());
    }

    @Test
    void throttlingAtARateRefusesAShareOfRequestsAndRepeatsWithTheSameSeed() throws Exception {
        int[] counts = new int[2];
        for (int run = 0; run < 2; run++) {
            contoso.emulator.faults().clear();
            contoso.emulator.faults().throttleRate(0.3, "/root/children", 503, 2, 99);
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> r = send("GET", contoso.emulator.graphUrl() + "/drives/" + contoso.documents.id()
                        + "/root/children", null);
                if (r.statusCode() == 503) {
                    assertEquals("2", r.headers().firstValue("Retry-After").orElseThrow());
                    counts[run]++;
                }
            }
        }

        assertTrue(counts[0] > 5 && counts[0] < 30, "refused " + counts[0] + " of 50 at a 30% rate");
        assertEquals(counts[0], counts[1], "the same seed refused a different number");
    }

    @Test
    void sharePointRewritesOfficeFilesAndTheServersHashIsTheTruth() throws Exception {
        contoso.emulator.drives().rewriteOfficeFiles(true);
        byte[] bytes = "PK... a word document".getBytes(StandardCharsets.UTF_8);
        QuickXorHash local = new QuickXorHash();
        local.update(bytes, 0, bytes.length);

        DriveItem uploaded = put(contoso.documents.id(), unique() + ".docx", bytes);
        DriveItem reread = adele.drives().byDriveId(contoso.documents.id()).items().byDriveItemId(uploaded.getId()).get();

        assertNotEquals(bytes.length, uploaded.getSize());
        assertNotEquals(local.digest(), uploaded.getFile().getHashes().getQuickXorHash());
        assertEquals(uploaded.getFile().getHashes().getQuickXorHash(), reread.getFile().getHashes().getQuickXorHash());
        try (InputStream in = adele.drives().byDriveId(contoso.documents.id()).items().byDriveItemId(uploaded.getId())
                .content().get()) {
            assertEquals((long) uploaded.getSize(), in.readAllBytes().length);
        }
    }

    @Test
    void copyRunsBehindAMonitorUrlAndCopiesAFolderWithItsFilesToAnotherLibrary() throws Exception {
        String name = unique();
        put(contoso.documents.id(), name + "/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
        put(contoso.documents.id(), name + "/sub/b.txt", "beta".getBytes(StandardCharsets.UTF_8));
        String folderId = adele.drives().byDriveId(contoso.documents.id()).items().byDriveItemId("root:/" + name + ":")
                .get().getId();

        HttpResponse<String> accepted = send("POST", contoso.emulator.graphUrl() + "/drives/" + contoso.documents.id()
                + "/items/" + folderId + "/copy", "{\"parentReference\":{\"driveId\":\"" + contoso.drawings.id()
                + "\"},\"name\":\"" + name + " (copy)\"}");
        assertEquals(202, accepted.statusCode());
        String monitor = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode status;
        int polls = 0;
        do {
            Thread.sleep(20);
            // The monitor URL needs no token.
            status = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(monitor)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } while (!status.path("status").asText().equals("completed") && ++polls < 200);

        assertEquals("completed", status.path("status").asText(), status.toString());
        String copyId = status.path("resourceId").asText();
        assertEquals(name + " (copy)", adele.drives().byDriveId(contoso.drawings.id()).items().byDriveItemId(copyId)
                .get().getName());
        try (InputStream in = adele.drives().byDriveId(contoso.drawings.id()).items()
                .byDriveItemId("root:/" + name + " (copy)/sub/b.txt:").content().get()) {
            assertEquals("beta", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void selectReturnsOnlyTheAskedPropertiesAndTheId() throws Exception {
        DriveItem file = put(contoso.documents.id(), unique() + ".txt", new byte[]{1});

        JsonNode json = Json.MAPPER.readTree(send("GET", contoso.emulator.graphUrl() + "/drives/"
                + contoso.documents.id() + "/items/" + file.getId() + "?$select=name,size", null).body());

        assertEquals(java.util.Set.of("id", "name", "size"), iterable(json.fieldNames()));
    }

    static java.util.Set<String> iterable(java.util.Iterator<String> names) {
        java.util.Set<String> all = new java.util.HashSet<>();
        names.forEachRemaining(all::add);
        return all;
    }

    @Test
    void linksItHandsOutUseTheHostTheClientCalledAndPreAuthenticatedOnesAnother() throws Exception {
        String drive = contoso.documents.id();
        String name = unique();
        for (int i = 0; i < 3; i++) {
            put(drive, name + "/f" + i + ".txt", new byte[]{(byte) i});
        }
        String viaIp = contoso.emulator.graphUrl().replace("localhost", "127.0.0.1");

        JsonNode page = Json.MAPPER.readTree(send("GET", viaIp + "/drives/" + drive + "/root:/" + name
                + ":/children?$top=1", null).body());

        assertTrue(page.path("@odata.nextLink").asText().startsWith("https://127.0.0.1:"), page.toString());
        // the download link is pre-authenticated and on another host, as Graph's are (a SharePoint or files host)
        assertTrue(page.path("value").get(0).path("@microsoft.graph.downloadUrl").asText()
                .startsWith("https://localhost:"));
    }

    /**
     * A site addressed by path under the reserved identifier {@code root} (the tenant root site's host), as
     * https://learn.microsoft.com/graph/api/site-getbypath describes: "root, which always references the root site",
     * followed by a colon and the server-relative path.
     */
    @Test
    void aSiteIsFoundByItsPathUnderTheRootSite() throws Exception {
        HttpResponse<String> byRoot = send("GET", contoso.emulator.graphUrl() + "/sites/root:/sites/pdc", null);
        HttpResponse<String> byHost = send("GET", contoso.emulator.graphUrl() + "/sites/contoso.sharepoint.com:/sites/pdc",
                null);

        assertEquals(200, byRoot.statusCode(), byRoot.body());
        assertEquals(Json.MAPPER.readTree(byHost.body()).path("id"), Json.MAPPER.readTree(byRoot.body()).path("id"));
        assertEquals("Project Document Control", Json.MAPPER.readTree(byRoot.body()).path("displayName").asText());
    }

    /**
     * webUrl is a URL (https://learn.microsoft.com/graph/api/resources/driveitem, "URL that displays the resource in
     * the browser"): a name with #, % and & is percent-encoded, so the link opens that file, not a fragment.
     */
    @Test
    void aWebUrlEncodesEveryCharacterAUrlCannotCarryAsIs() {
        String name = unique() + " Q1 #3 100% & more ü.txt";
        DriveItem item = put(contoso.documents.id(), name, "x".getBytes(StandardCharsets.UTF_8));

        URI link = URI.create(item.getWebUrl());
        assertEquals(null, link.getFragment(), item.getWebUrl());
        assertTrue(link.getPath().endsWith("/" + name), link.getPath());
        assertTrue(item.getWebUrl().endsWith("%20Q1%20%233%20100%25%20%26%20more%20%C3%BC.txt"), item.getWebUrl());
    }
}
