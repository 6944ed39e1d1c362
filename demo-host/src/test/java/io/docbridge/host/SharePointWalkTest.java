package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.testing.SharePointAdmin;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The organisation administrator's walk with SharePoint Online, over HTTP: the real plugin archive loaded by PF4J,
 * the host's pages, the plugin's servlets and the emulated Microsoft pages (offline mode).
 */
class SharePointWalkTest {
    @TempDir
    Path root;
    TestHost host;
    WebClient admin;
    M365Emulator emulator;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.withMicrosoftPlugins(root, "sharepoint-plugin.zip");
        emulator = host.host().emulator().orElseThrow();
        admin = host.admin();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private SharePointAdmin setup() {
        return new SharePointAdmin(admin, emulator);
    }

    private HttpResponse<String> follow(String from, HttpResponse<String> redirect) {
        return setup().follow(from, redirect);
    }

    private static String link(String page, String cssClass, String text) {
        return SharePointAdmin.link(page, cssClass, text);
    }

    private HttpResponse<String> connect(String user, boolean accept) throws Exception {
        return setup().connect(user, accept);
    }

    private String connectAndSave() throws Exception {
        return setup().connectAndSave();
    }

    private String connectAndSave(String rootFolder) throws Exception {
        return setup().connectAndSave(rootFolder);
    }

    @Test
    void connectChooseSiteAndLibraryVerifySetAsDefaultAndStoreARevisionInSharePoint() throws Exception {
        assertTrue(admin.get("/settings/storage/add").body().contains("id=\"type-sharepoint\""));
        String setup = admin.get("/settings/storage/add/sharepoint").body();
        assertTrue(setup.contains("id=\"connect-microsoft\" href=\"/plugins/sharepoint/connect?setup="), setup);
        assertTrue(setup.contains("id=\"offline-notice\""));

        String providerId = connectAndSave();

        admin.get("/settings/storage");
        String verified = admin.follow(admin.post("/settings/storage/" + providerId + "/verify", Map.of())).body();
        String card = verified.substring(verified.indexOf("id=\"provider-" + providerId + "\""));
        assertTrue(card.contains("badge-ok\">Verified"), card);

        admin.post("/settings/storage/" + providerId + "/default", Map.of());
        admin.post("/projects", Map.of("code", "PRJ-1", "name", "Harbour bridge"));
        admin.get("/documents/new");
        byte[] file = "general arrangement, revision A".getBytes(StandardCharsets.UTF_8);
        java.time.Instant drawn = java.time.Instant.parse("2021-08-09T10:11:12Z"); // the file's time on the laptop
        String doc = admin.follow(admin.upload("/documents/new", Map.of("project", "1", "number", "", "title",
                "General arrangement", "type", "Drawing", "status", "Draft", "code", "A", "modified",
                String.valueOf(drawn.toEpochMilli())), "GA drawing.pdf", file)).body();

        assertTrue(doc.contains("SharePoint · Project Document Control"), doc);
        DriveStore.Drive documents = emulator.drives().drives().stream()
                .filter(d -> d.name().equals("Documents") && d.webUrl().contains("ProjectDocumentControl"))
                .findFirst().orElseThrow();
        DriveStore.Item stored = emulator.drives().itemByPath(documents.id(), "root",
                "Docbridge/PRJ-1/PRJ-1-0001/A/GA drawing.pdf");
        assertEquals(file.length, stored.size());
        assertEquals(drawn, stored.fileModified(), "the revision keeps the drawing's own date in SharePoint");
        assertArrayEquals(file, admin.download(WebClient.find(doc, "href=\"(/revisions/\\d+/download)\"")).body());
    }

    private String card(String providerId) {
        String page = admin.get("/settings/storage").body();
        return page.substring(page.indexOf("id=\"provider-" + providerId + "\""));
    }

    @Test
    void aRevokedSignInTurnsTheBadgeRedAndReconnectKeepsTheLibrary() throws Exception {
        String providerId = connectAndSave();
        var megan = emulator.directory().userByName("megan@" + DemoSeed.TENANT_DOMAIN).orElseThrow();
        // The password changes (refresh tokens revoked) and the cached access token runs out.
        emulator.clock().advance(java.time.Duration.ofHours(2));
        emulator.directory().revokeSessions(megan, emulator.clock().instant());

        assertTrue(host.host().checkStorageHealthNow());
        String red = "";
        for (int i = 0; i < 100 && !red.contains("Needs reconnect"); i++) {
            Thread.sleep(50);
            red = card(providerId);
        }
        assertTrue(red.contains("badge-bad\">Needs reconnect"), red);
        assertTrue(red.contains("password changed"), red);

        String reconnect = WebClient.find(red, "class=\"button primary reconnect\" href=\"([^\"]+)\"").replace("&amp;", "&");
        HttpResponse<String> toMicrosoft = admin.connect(reconnect);
        SignInBrowser person = new SignInBrowser(emulator);
        person.get(toMicrosoft.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = admin.callback("/plugins/sharepoint/callback", SignInBrowser.delivered(
                person.signIn("megan@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD)));
        assertTrue(back.headers().firstValue("Location").orElseThrow().startsWith("/settings/storage/" + providerId
                + "/reconnected?"), back.headers().toString());
        assertTrue(admin.follow(admin.follow(back)).body()
                .contains("signed in again. Run Verification"));
        admin.post("/settings/storage/" + providerId + "/verify", Map.of());

        String green = card(providerId);
        assertTrue(green.contains("badge-ok\">Verified"), green);
        assertTrue(green.contains("SharePoint · Project Document Control"));
    }

    @Test
    void aFailedProviderStillOffersReconnect() throws Exception {
        String providerId = connectAndSave();
        // Megan loses her access to the site: verification fails with Permission denied, not with a dead sign-in.
        var site = emulator.drives().sites().stream().filter(x -> x.displayName().equals("Project Document Control"))
                .findFirst().orElseThrow();
        emulator.drives().updateSiteMembers(site, java.util.Set.of());
        admin.get("/settings/storage");
        admin.post("/settings/storage/" + providerId + "/verify", Map.of());

        String failed = card(providerId);
        assertTrue(failed.contains("badge-bad\">Failed"), failed);
        assertTrue(failed.contains("class=\"button primary reconnect\""), "no way out of Failed: " + failed);
        String confirm = admin.get("/settings/storage/" + providerId + "/default").body();
        assertTrue(confirm.contains("Its last check failed:") && confirm.contains("new uploads will fail"), confirm);
    }

    @Test
    void aSiteAddressThatLeadsNowhereSaysSoOnceAndOffersAnotherTry() throws Exception {
        HttpResponse<String> callback = new SharePointAdmin(admin, emulator).connect("megan@" + DemoSeed.TENANT_DOMAIN,
                true);
        String sites = new SharePointAdmin(admin, emulator).follow("/plugins/sharepoint/callback", callback).body();
        String connection = WebClient.find(sites, "name=\"connection\" value=\"([^\"]+)\"");

        String page = admin.get("/plugins/sharepoint/sites?connection=" + connection + "&setup="
                + WebClient.find(sites, "name=\"setup\" value=\"([^\"]+)\"") + "&url="
                + java.net.URLEncoder.encode("https://contoso.sharepoint.com/sites/nothing-here",
                StandardCharsets.UTF_8)).body();

        assertTrue(page.contains("id=\"sites-error\""), page);
        assertEquals(1, page.split("moved or deleted", -1).length - 1, "the same sentence twice: " + page);
        assertTrue(page.contains("id=\"another-address\""), page);
    }

    @Test
    void aRootFolderNameSharePointWouldRefuseIsCaughtAtSave() throws Exception {
        HttpResponse<String> callback = new SharePointAdmin(admin, emulator).connect("megan@" + DemoSeed.TENANT_DOMAIN,
                true);
        String sites = new SharePointAdmin(admin, emulator).follow("/plugins/sharepoint/callback", callback).body();
        assertTrue(sites.contains("Step 2 of 3: the site") && sites.contains("id=\"cancel-setup\" href=\"/settings/storage\""),
                sites);
        String libraries = admin.get(SharePointAdmin.link(sites, "site",
                "Project Document Control")).body();
        // Each library with the space it uses, as Graph's quota gives it.
        assertTrue(libraries.matches("(?s).*>Documents</a> <span class=\"meta\">[0-9.]+ (B|KB|MB) used</span>.*"),
                libraries);
        String form = admin.follow(admin.get(SharePointAdmin.link(libraries, "library", "Documents"))).body();
        Map<String, String> fields = new java.util.HashMap<>();
        for (String name : new String[]{"connection", "account", "site", "siteName", "library", "libraryName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\"").replace("&#39;", "'"));
        }
        fields.put("name", "Too deep");
        fields.put("layout", "BY_PROJECT");
        fields.put("root", "r".repeat(401));

        HttpResponse<String> saved = admin.post("/settings/storage/add/sharepoint", fields);

        assertEquals(400, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("has 401 characters; SharePoint allows at most 255"), saved.body());
    }

    /** A SharePoint provider as the default, and a project, ready for documents. */
    private void sharePointAsDefault() throws Exception {
        sharePointAsDefault("Docbridge");
    }

    private void sharePointAsDefault(String rootFolder) throws Exception {
        String providerId = connectAndSave(rootFolder);
        admin.get("/settings/storage");
        admin.post("/settings/storage/" + providerId + "/default", Map.of());
        admin.post("/projects", Map.of("code", "PRJ-1", "name", "Harbour bridge"));
        admin.get("/documents/new");
    }

    private HttpResponse<String> newDocument(String fileName, byte[] content) {
        return admin.upload("/documents/new", Map.of("project", "1", "number", "", "title", "Drawing", "type",
                "Drawing", "status", "Draft", "code", "A"), fileName, content);
    }

    @Test
    void aRevisionDownloadWhoseConnectionToSharePointDropsFailsInsteadOfEndingShort() throws Exception {
        sharePointAsDefault();
        byte[] file = new byte[1_000_000];
        new java.util.Random(5).nextBytes(file);
        String doc = admin.follow(newDocument("big.bin", file)).body();
        String download = WebClient.find(doc, "href=\"(/revisions/\\d+/download)\"");

        emulator.faults().dropNextDownloadAfter(300_000);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, () -> admin.download(download),
                "a short revision was answered as complete");

        assertArrayEquals(file, admin.download(download).body(), "the next download is whole");
    }

    @Test
    void aPathSharePointWouldRefuseIsExplainedAndNothingIsCreated() throws Exception {
        sharePointAsDefault("Engineering deliverables for the harbour bridge replacement " + "r".repeat(100));

        HttpResponse<String> response = newDocument("x".repeat(240) + ".pdf", new byte[]{1});

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("SharePoint allows fewer than 400"), response.body());
        assertTrue(response.body().contains("Nothing was created."));
        assertTrue(admin.get("/documents").body().contains("No documents yet"));
    }

    @Test
    void aThrottlingStormIsWaitedOutAndTheRevisionLands() throws Exception {
        sharePointAsDefault();
        emulator.faults().throttleNext(3, "/_upload/", 429, 1);
        byte[] file = new byte[5 * 1024 * 1024]; // over 4 MiB: an upload session
        new java.util.Random(1).nextBytes(file);

        HttpResponse<String> response = newDocument("throttled.bin", file);

        assertEquals(303, response.statusCode(), response.body());
        String doc = admin.follow(response).body();
        assertArrayEquals(file, admin.download(WebClient.find(doc, "href=\"(/revisions/\\d+/download)\"")).body());
        assertEquals(4, emulator.faults().count(r -> r.method().equals("PUT") && r.path().startsWith("/_upload/")),
                "expected three refused fragment PUTs and one that landed");
    }

    @Test
    void aConnectionDroppedMidUploadResumesAndTheRevisionLandsWhole() throws Exception {
        sharePointAsDefault();
        emulator.faults().dropNextUploadAfter(2_000_000);
        byte[] file = new byte[5 * 1024 * 1024]; // over 4 MiB: an upload session
        new java.util.Random(2).nextBytes(file);

        String doc = admin.follow(newDocument("dropped.bin", file)).body();

        assertTrue(emulator.faults().count(r -> r.method().equals("GET") && r.path().startsWith("/_upload/")) >= 1,
                "the drop never happened, or the client did not ask where to resume");
        assertArrayEquals(file, admin.download(WebClient.find(doc, "href=\"(/revisions/\\d+/download)\"")).body());
    }

    @Test
    void appOnlyAccessWithSitesSelectedNeedsNoSignInAndNoReconnect() throws Exception {
        var tenant = emulator.directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
        var app = emulator.directory().apps().stream().filter(a -> a.displayName().equals("Docbridge")).findFirst()
                .orElseThrow();
        emulator.directory().grantAppRole(tenant, app, "Sites.Selected");
        var site = emulator.drives().sites().stream().filter(x -> x.displayName().equals("Project Document Control"))
                .findFirst().orElseThrow();
        emulator.drives().grantSiteToApp(site.id(), app.clientId(), "write");

        String setup = admin.get("/settings/storage/add/sharepoint").body();
        String appOnly = WebClient.find(setup, "id=\"app-only\" href=\"([^\"]+)\"").replace("&amp;", "&");
        HttpResponse<String> opened = admin.get(appOnly + "&url=" + java.net.URLEncoder.encode(
                "https://contoso.sharepoint.com/sites/ProjectDocumentControl/SitePages/Home.aspx", StandardCharsets.UTF_8));
        String libraries = follow(appOnly, opened).body();
        String form = admin.follow(admin.get(link(libraries, "library", "Drawings"))).body();
        assertTrue(form.contains("App-only access: no user sign-in."), form);

        Map<String, String> fields = new java.util.HashMap<>();
        for (String name : new String[]{"connection", "account", "site", "siteName", "library", "libraryName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\""));
        }
        fields.putAll(Map.of("name", "SharePoint app-only", "layout", "FLAT", "root", ""));
        HttpResponse<String> saved = admin.post("/settings/storage/add/sharepoint", fields);
        assertEquals(303, saved.statusCode(), saved.body());
        String providerId = WebClient.find(saved.headers().firstValue("Location").orElseThrow(), "#provider-(.+)");
        admin.get("/settings/storage");
        admin.post("/settings/storage/" + providerId + "/verify", Map.of());

        String card = card(providerId);
        assertTrue(card.contains("badge-ok\">Verified"), card);
        assertTrue(!card.contains("reconnect"), "app-only access offered a reconnect");
    }

    @Test
    void cancelAtConsentExplainsAndOffersARetry() throws Exception {
        HttpResponse<String> page = connect("megan@" + DemoSeed.TENANT_DOMAIN, false);

        assertTrue(page.body().contains("id=\"declined\""), page.body());
        assertTrue(page.body().contains("id=\"try-again\""));
    }

    @Test
    void aTenantRequiringApprovalExplainsAndGivesTheAdminConsentLink() throws Exception {
        var tenant = emulator.directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
        emulator.directory().putTenant(tenant.withUserConsentAllowed(false));
        HttpResponse<String> toMicrosoft = admin.connect("/settings/storage/add/sharepoint");
        SignInBrowser person = new SignInBrowser(emulator);
        person.get(toMicrosoft.headers().firstValue("Location").orElseThrow());
        person.signIn("adele@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD);
        String cancel = person.page.replaceAll("(?s).*id=\"cancel-link\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");

        HttpResponse<String> page = admin.callback("/plugins/sharepoint/callback",
                SignInBrowser.delivered(person.get(emulator.baseUrl().resolve(cancel).toString())));

        assertTrue(page.body().contains("id=\"admin-approval\""), page.body());
        assertTrue(page.body().contains("v2.0/adminconsent?client_id="));

        // Megan, a tenant administrator, opens the link and approves: the return page says so, not "expired".
        String link = WebClient.find(page.body(), "id=\"admin-consent-link\" href=\"([^\"]+)\"").replace("&amp;", "&");
        SignInBrowser megan = new SignInBrowser(emulator);
        megan.get(link);
        megan.signIn("megan@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD);
        HttpResponse<String> approved = admin.callback("/plugins/sharepoint/callback",
                SignInBrowser.delivered(megan.submit(Map.of("decision", "accept"))));
        assertEquals(200, approved.statusCode(), approved.body());
        assertTrue(approved.body().contains("id=\"admin-approved\""), approved.body());
        // The approval names the setup it was asked for: in the browser that is in it, Try again goes on with it.
        assertTrue(approved.body().contains("id=\"try-again\""), "no way to connect again: " + approved.body());
    }

    @Test
    void savingWithoutConnectingIsExplainedOnTheForm() {
        admin.get("/settings/storage/add/sharepoint");

        HttpResponse<String> response = admin.post("/settings/storage/add/sharepoint", Map.of("name", "SP",
                "layout", "BY_PROJECT"));

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("Connect with Microsoft first."), response.body());
    }
}
