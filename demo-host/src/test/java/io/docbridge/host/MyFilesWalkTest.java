package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.testing.Chrome;
import io.docbridge.host.testing.SharePointAdmin;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayInputStream;
import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's OneDrive in My Files, over HTTP: connect through the emulated Microsoft pages, the first sync, browse,
 * download, a change made in OneDrive picked up by Sync Now, and Disconnect leaving the remote files alone.
 */
class MyFilesWalkTest {
    @TempDir
    Path root;
    TestHost host;
    M365Emulator emulator;
    WebClient adele;
    /** What the last {@link #addOneDrive()} submitted (its connection, among others). */
    Map<String, String> oneDriveFields;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip", "sharepoint-plugin.zip");
        emulator = host.host().emulator().orElseThrow();
        WebClient admin = host.admin();
        admin.get("/admin/users");
        admin.post("/admin/users", Map.of("username", "adele", "displayName", "Adele Vance",
                "password", "adele's long password", "role", "USER"));
        adele = host.client();
        adele.login("adele", "adele's long password");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** Adele's OneDrive in the emulator. */
    private DriveStore.Drive adelesOneDrive() {
        return emulator.drives().drives().stream().filter(d -> d.owner().email().startsWith("adele@")).findFirst()
                .orElseThrow();
    }

    /** Headless Chromium on the page, signed in as Adele (her session's cookie, no second sign-in). */
    private ChromeDriver browserAsAdele(String path) throws Exception {
        ChromeDriver browser = Chrome.start(root.resolve("chrome"), false);
        try {
            browser.get(host.url("/login").toString());
            for (HttpCookie cookie : adele.cookies().getCookieStore().getCookies()) {
                browser.manage().addCookie(new Cookie(cookie.getName(), cookie.getValue(), "/"));
            }
            browser.get(host.url(path).toString());
            return browser;
        } catch (RuntimeException e) {
            browser.quit();
            throw e;
        }
    }

    /** Waits for the drive's sync to finish and returns the page. */
    private String afterSync(String path, String expect) throws InterruptedException {
        return adele.afterSync(path, expect);
    }

    private String addOneDrive() throws Exception {
        assertTrue(adele.get("/files").body().contains("id=\"add-drive\""));
        assertTrue(adele.get("/files/add").body().contains("id=\"type-onedrive\""));
        assertTrue(adele.get("/files/add/onedrive").body().contains("href=\"/plugins/onedrive/connect?setup="));
        io.docbridge.host.testing.OneDriveConnect.Connected connected = io.docbridge.host.testing.OneDriveConnect
                .add(adele, emulator, "adele");
        oneDriveFields = connected.fields();
        return connected.driveId();
    }

    @Test
    void aPersonalMicrosoftAccountsOneDriveSyncsAndChangesLikeAWorkOne() throws Exception {
        // Sign in with a personal account (outlook.com): OneDrive signs in through "common" and asks only for files.
        HttpResponse<String> toMicrosoft = adele.get(adele.linkOn("/files/add/onedrive", "connect-microsoft"));
        String authorize = toMicrosoft.headers().firstValue("Location").orElseThrow();
        assertTrue(authorize.contains("/common/oauth2/v2.0/authorize"), authorize);
        assertFalse(java.net.URLDecoder.decode(authorize, StandardCharsets.UTF_8).contains("Sites."), authorize);
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(authorize, DemoSeed.PERSONAL_ACCOUNT,
                DemoSeed.PASSWORD);
        HttpResponse<String> back = adele.callback("/plugins/onedrive/callback", answer);
        assertEquals(303, back.statusCode(), back.body());
        String form = new SharePointAdmin(adele, emulator).follow("/plugins/onedrive/callback", back).body();
        assertTrue(form.contains("value=\"OneDrive (personal) · " + DemoSeed.PERSONAL_ACCOUNT + "\""), form);
        Map<String, String> fields = new HashMap<>();
        for (String name : new String[]{"connection", "account", "drive", "driveName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\""));
        }
        assertTrue(fields.get("drive").matches("[0-9A-F]{16}"), "not a personal drive id: " + fields.get("drive"));
        fields.put("name", "Pat's OneDrive");
        String id = WebClient.find(adele.post("/files/add/onedrive", fields).headers().firstValue("Location")
                .orElseThrow(), "/files/([0-9a-f-]{36})");

        String page = afterSync("/files/" + id, "Recipes.txt");
        assertTrue(page.contains(">Photos</a>"), page);
        // Personal OneDrive item ids carry a "!" (D4648F06C91D9D3D!101): through URLs, forms and the index.
        String photos = WebClient.find(page, "href=\"/files/[^/]+/folders/([^\"]+)\">Photos</a>");
        assertTrue(java.net.URLDecoder.decode(photos, StandardCharsets.UTF_8).contains("!"), photos);
        page = adele.follow(adele.upload("/files/" + id + "/folders/" + photos + "/upload", Map.of(), "beach.jpg",
                new byte[5000])).body();
        assertTrue(page.contains("<td>beach.jpg</td>"), page);
        DriveStore.Drive patsDrive = emulator.drives().drives().stream().filter(d -> d.driveType().equals("personal"))
                .findFirst().orElseThrow();
        String beach = emulator.drives().itemByPath(patsDrive.id(), "root", "Photos/beach.jpg").id();
        page = adele.follow(adele.post("/files/" + id + "/items/" + java.net.URLEncoder.encode(beach,
                StandardCharsets.UTF_8) + "/rename", Map.of("name", "beach 2026.jpg"))).body();
        assertTrue(page.contains("<td>beach 2026.jpg</td>"), page);
        assertEquals("beach 2026.jpg", emulator.drives().item(patsDrive.id(), beach).name());
        adele.post("/files/" + id + "/sync", Map.of());
        assertTrue(afterSync("/files/" + id + "/folders/" + photos, "Last sync").contains("beach 2026.jpg"));

        // Through "common", another organisation's work account is refused (only Contoso's, and personal ones).
        var fabrikam = emulator.directory().addTenant("fabrikam.onmicrosoft.com", "Fabrikam", true);
        emulator.directory().addUser(fabrikam, "kim", "Kim Akers", DemoSeed.PASSWORD, false);
        Map<String, String> kims = new SignInBrowser(emulator).signInAndConsent(adele.get(adele.linkOn("/files/add/onedrive", "connect-microsoft"))
                .headers().firstValue("Location").orElseThrow(), "kim@fabrikam.onmicrosoft.com", DemoSeed.PASSWORD);
        HttpResponse<String> otherOrganisation = adele.callback("/plugins/onedrive/callback", kims);
        assertEquals(400, otherOrganisation.statusCode(), otherOrganisation.body());
        assertTrue(otherOrganisation.body().contains("belongs to another organisation"), otherOrganisation.body());

        // A personal account has no SharePoint: the library sign-in (the organisation's tenant) refuses it.
        String setup = adele.get("/files/add/sharepoint-library").body();
        String connect = WebClient.find(setup, "id=\"connect-microsoft\" href=\"([^\"]+)\"").replace("&amp;", "&");
        SignInBrowser pat = new SignInBrowser(emulator);
        pat.get(adele.get(connect).headers().firstValue("Location").orElseThrow());
        pat.signIn(DemoSeed.PERSONAL_ACCOUNT, DemoSeed.PASSWORD);
        assertTrue(pat.page.contains("does not exist in tenant"), pat.page);
    }

    @Test
    void afterAFullWalkEveryFolderOfTheDataFolderIs0700AndEveryFile0600() throws Exception {
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");
        WebClient admin = host.admin();
        admin.get("/documents");
        admin.post("/projects", Map.of("code", "P1", "name", "Walk"));
        admin.get("/documents/new");
        HttpResponse<String> created = admin.upload("/documents/new", Map.of("project", "1", "number", "P1-1",
                "title", "Walk", "type", "Report", "status", "Draft", "code", "A"), "walk.txt",
                "revision file".getBytes(StandardCharsets.UTF_8));
        assertEquals(303, created.statusCode(), created.body());
        emulator.saveIfChanged();
        host.close();

        java.util.List<String> readableByOthers = new java.util.ArrayList<>();
        try (var walk = Files.walk(host.dataDir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (!mode.equals(Files.isDirectory(p) ? "rwx------" : "rw-------")) {
                    readableByOthers.add(host.dataDir.relativize(p) + " " + mode);
                }
            }
        }
        assertEquals(java.util.List.of(), readableByOthers);
        assertTrue(Files.exists(host.dataDir.resolve("m365-emulator/state.json")));
    }

    @Test
    void aRestartKeepsEachDrivesLastSyncResult() throws Exception {
        String id = addOneDrive();
        String before = WebClient.find(afterSync("/files/" + id, "Welcome.txt"), "id=\"last-result\">([^<]+)<");
        assertTrue(before.startsWith("Last result: synced"), before);
        host.close();

        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip", "sharepoint-plugin.zip");
        emulator = host.host().emulator().orElseThrow();
        adele = host.client();
        adele.login("adele", "adele's long password");
        String after = WebClient.find(adele.get("/files/" + id).body(), "id=\"last-result\">([^<]+)<");

        assertEquals(before, after);
        assertFalse(adele.get("/files").body().contains("not synced yet"));
    }

    @Test
    void aDownloadWhoseConnectionToMicrosoftDropsFailsInsteadOfEndingShort() throws Exception {
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");
        byte[] content = new byte[1_000_000];
        new java.util.Random(4).nextBytes(content);
        DriveStore.Drive oneDrive = adelesOneDrive();
        emulator.drives().commitFile(oneDrive.id(), "root", "Big.bin", emulator.drives().stage(
                new ByteArrayInputStream(content)), "fail", DriveStore.Actor.SYSTEM);
        adele.post("/files/" + id + "/sync", Map.of());
        String download = WebClient.find(afterSync("/files/" + id, "Big.bin"),
                "<td>Big.bin</td>(?s).*?href=\"(/files/[^\"]+/download)\"");

        emulator.faults().dropNextDownloadAfter(300_000);
        java.util.concurrent.atomic.AtomicReference<HttpResponse<byte[]>> received = new java.util.concurrent.atomic.AtomicReference<>();
        java.io.UncheckedIOException failed = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> received.set(adele.download(download)),
                () -> "a clean answer of " + received.get().body().length + " bytes with status "
                        + received.get().statusCode());

        assertTrue(failed.getCause() instanceof java.io.IOException, failed.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(content, adele.download(download).body(),
                "the next download is whole");
    }

    @Test
    void connectSyncBrowseDownloadPickUpARemoteChangeAndDisconnectWithoutTouchingOneDrive() throws Exception {
        String id = addOneDrive();

        String rootPage = afterSync("/files/" + id, "Welcome.txt");
        assertTrue(rootPage.contains(">Work</a>") && rootPage.contains(">Personal</a>"), rootPage);
        String download = WebClient.find(rootPage, "<td>Welcome.txt</td>(?s).*?href=\"(/files/[^\"]+/download)\"");
        assertEquals("Welcome to OneDrive, Adele.\n",
                new String(adele.download(download).body(), StandardCharsets.UTF_8));

        // Someone adds a file in OneDrive on the web; Sync Now picks it up.
        DriveStore.Drive oneDrive = adelesOneDrive();
        String work = emulator.drives().itemByPath(oneDrive.id(), "root", "Work").id();
        emulator.drives().commitFile(oneDrive.id(), work, "From the web.txt", emulator.drives().stage(
                new ByteArrayInputStream("added online".getBytes(StandardCharsets.UTF_8))), "fail", DriveStore.Actor.SYSTEM);
        adele.post("/files/" + id + "/sync", Map.of());
        afterSync("/files/" + id + "/folders/" + work, "From the web.txt");

        assertEquals(404, host.admin().get("/files/" + id).statusCode(), "another person saw the drive");

        assertTrue(adele.follow(adele.post("/files/" + id + "/interval", Map.of("minutes", "60"))).body()
                .contains("<option value=\"60\" selected>every hour</option>"));
        assertTrue(adele.follow(adele.post("/files/" + id + "/interval", Map.of("minutes", "1"))).body()
                .contains("Choose one of the offered intervals."));

        adele.get("/files/" + id + "/disconnect");
        String after = adele.follow(adele.post("/files/" + id + "/disconnect", Map.of())).body();
        assertTrue(after.contains("were not touched"), after);
        assertFalse(after.contains("My OneDrive</a>"));
        assertEquals("Welcome.txt", emulator.drives().itemByPath(oneDrive.id(), "root", "Welcome.txt").name());
        assertEquals("From the web.txt", emulator.drives().itemByPath(oneDrive.id(), "root", "Work/From the web.txt")
                .name());
        // The drive's index leaves in the background, soon after; so does a page that a sync which was running at
        // the disconnect writes afterwards.
        io.docbridge.host.drives.DbFileIndex index = new io.docbridge.host.drives.DbFileIndex(host.host().jdbi());
        for (int i = 0; i < 100 && index.count(id) > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, index.count(id), "the index of a disconnected drive was kept");
        java.time.Instant now = java.time.Instant.now();
        io.docbridge.api.DriveItem late = new io.docbridge.api.DriveItem("late", "root", "Late.txt", false, 1, now,
                now, "Adele", "v1", "https://example.com/late");
        index.apply(id, java.util.List.of(io.docbridge.api.DriveChange.upserted(late)), "late cursor");
        host.host().externalDrives().removeIndexesOfDisconnectedDrives((seen, applied, message) -> {
        });
        assertEquals(0, index.count(id), "a page written after the disconnect was kept");
        assertTrue(index.cursor(id).isEmpty());
        // The sign-in went with the drive: its connection cannot make another drive without signing in again.
        adele.get("/files/add/onedrive");
        HttpResponse<String> reused = adele.post("/files/add/onedrive", oneDriveFields);
        assertEquals(400, reused.statusCode(), "a disconnected drive's sign-in still worked");
        assertTrue(reused.body().contains("Connect with Microsoft first."), reused.body());
    }

    /**
     * Adele's OneDrive gets an Archive of 40 files, synced; then a script deletes it on the web, and the next sync
     * holds: 41 of some 50 items would leave My Files. Returns the held page.
     */
    private String heldRemovals(String id) throws Exception {
        DriveStore.Drive oneDrive = adelesOneDrive();
        String archive = emulator.drives().createFolder(oneDrive.id(), "root", "Archive", "fail",
                DriveStore.Actor.SYSTEM).id();
        for (int i = 0; i < 40; i++) {
            emulator.drives().commitFile(oneDrive.id(), archive, "old " + i + ".txt", emulator.drives().stage(
                    new ByteArrayInputStream(("old " + i).getBytes(StandardCharsets.UTF_8))), "fail", DriveStore.Actor.SYSTEM);
        }
        adele.post("/files/" + id + "/sync", Map.of());
        afterSync("/files/" + id + "/folders/" + archive, "old 39.txt");
        emulator.drives().delete(oneDrive.id(), archive, null);
        adele.post("/files/" + id + "/sync", Map.of());
        return afterSync("/files/" + id, "id=\"removals-held\"");
    }

    @Test
    void aSyncThatWouldRemoveMostFilesWaitsForThePersonToConfirm() throws Exception {
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");

        String held = heldRemovals(id);
        assertTrue(held.contains(">Archive</a>"), "the folder left My Files before the person confirmed");
        assertTrue(held.contains("They stay until you confirm."), held);
        assertTrue(adele.get("/files").body().contains("Waiting for you"));

        adele.post("/files/" + id + "/confirm-removals", Map.of());
        String after = afterSync("/files/" + id, "Welcome.txt");
        for (int i = 0; i < 100 && after.contains(">Archive</a>"); i++) {
            Thread.sleep(50);
            after = afterSync("/files/" + id, "Welcome.txt");
        }
        assertFalse(after.contains(">Archive</a>"), after);
        assertFalse(after.contains("removals-held"), after);
    }

    @Test
    void aConfirmationOfHeldRemovalsIsKeptInTheDatabaseForTheNextSyncWhereverItRuns() throws Exception {
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");
        heldRemovals(id);

        // Adele confirms while Microsoft 365 refuses the change feed: the sync her confirmation starts fails ...
        emulator.faults().throttleNext(100, "/delta", 503, 600);
        adele.post("/files/" + id + "/confirm-removals", Map.of());
        // Ten minutes of Retry-After are handed back to the scheduler: no thread waits, the page says when.
        String throttled = afterSync("/files/" + id, "Throttled by Microsoft 365 (resuming at ");
        assertFalse(throttled.contains("data-running=\"true\""), throttled);
        // ... and the instance stops. The next sync (another instance's, or this one's after a restart) applies the
        // removals she confirmed without asking her again.
        host.close();
        host = TestHost.withMicrosoftPlugins(root);
        emulator = host.host().emulator().orElseThrow();
        adele = host.client();
        adele.login("adele", "adele's long password");
        adele.post("/files/" + id + "/sync", Map.of());
        String after = afterSync("/files/" + id, "Welcome.txt");
        for (int i = 0; i < 100 && after.contains(">Archive</a>"); i++) {
            Thread.sleep(50);
            after = afterSync("/files/" + id, "Welcome.txt");
        }
        assertFalse(after.contains(">Archive</a>"), after);
        assertFalse(after.contains("removals-held"), "asked again: " + after);
    }

    @Test
    void whenTheSignInIsRevokedMyFilesOffersReconnectAndSyncResumes() throws Exception {
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");
        revokeAdelesSignInThenReconnect(id, "onedrive", "Welcome.txt");
    }

    @Test
    void needsReconnectOutlivesARestart() throws Exception {
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");
        emulator.clock().advance(java.time.Duration.ofHours(2));
        emulator.directory().revokeSessions(emulator.directory().userByName("adele@" + DemoSeed.TENANT_DOMAIN)
                .orElseThrow(), emulator.clock().instant());
        adele.post("/files/" + id + "/sync", Map.of());
        afterSync("/files/" + id, "id=\"needs-reconnect\"");

        host.close();
        host = TestHost.withMicrosoftPlugins(root);
        adele = host.client();
        adele.login("adele", "adele's long password");
        assertTrue(adele.get("/files").body().contains("Needs reconnect"), "a restart forgot the expired sign-in");
        String page = adele.get("/files/" + id).body();
        assertTrue(page.contains("id=\"reconnect\"") && page.contains("Welcome.txt"), page);
    }

    @Test
    void aSharePointLibraryReconnectsForAPersonWhoIsNotAnAdministrator() throws Exception {
        String id = addLibrary();
        afterSync("/files/" + id, "Procedures");
        revokeAdelesSignInThenReconnect(id, "sharepoint", "Procedures");
    }

    private void revokeAdelesSignInThenReconnect(String id, String pluginId, String listed) throws Exception {
        var user = emulator.directory().userByName("adele@" + DemoSeed.TENANT_DOMAIN).orElseThrow();
        // Adele changes her password (refresh tokens revoked) and the cached access token runs out.
        emulator.clock().advance(java.time.Duration.ofHours(2));
        emulator.directory().revokeSessions(user, emulator.clock().instant());

        adele.post("/files/" + id + "/sync", Map.of());
        String signedOut = afterSync("/files/" + id, "id=\"needs-reconnect\"");
        assertTrue(signedOut.contains(listed), "the synced list was lost while signed out");
        assertTrue(adele.get("/files").body().contains("Needs reconnect"));

        String reconnect = WebClient.find(signedOut, "id=\"reconnect\" href=\"([^\"]+)\"").replace("&amp;", "&");
        HttpResponse<String> toMicrosoft = adele.connect(reconnect);
        SignInBrowser person = new SignInBrowser(emulator);
        person.get(toMicrosoft.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = adele.callback("/plugins/" + pluginId + "/callback", SignInBrowser.delivered(
                person.signIn("adele@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD)));
        assertTrue(back.headers().firstValue("Location").orElseThrow().startsWith("/files/" + id + "/reconnected?"),
                back.headers().toString());
        adele.follow(back);
        adele.post("/files/" + id + "/sync", Map.of());

        String resumed = afterSync("/files/" + id, listed);
        for (int i = 0; i < 100 && resumed.contains("needs-reconnect"); i++) {
            Thread.sleep(50);
            resumed = afterSync("/files/" + id, listed);
        }
        assertFalse(resumed.contains("needs-reconnect"), resumed);
        assertEquals(1, adele.get("/files").body().split("class=\"card provider\"").length - 1,
                "reconnecting made a second drive");
    }

    @Test
    void anUploadInTheBrowserShowsItsProgressAndLandsInOneDrive() throws Exception {
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");
        ChromeDriver browser = browserAsAdele("/files/" + id);
        try {
            // Over 4 MiB, so it goes through an upload session; latency keeps "saving in the drive" on screen.
            Path report = Files.write(root.resolve("Quarterly report.bin"), new byte[6 * 1024 * 1024]);
            emulator.faults().latency(Duration.ofMillis(300));
            browser.findElement(By.id("f-file")).sendKeys(report.toString());
            browser.findElement(By.id("upload")).click();

            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(20));
            wait.until(d -> d.findElement(By.cssSelector("#uploads li .meta")).getText().startsWith("Sent"));
            assertTrue(browser.findElement(By.cssSelector("#uploads li progress")).isDisplayed());
            wait.until(d -> d.getPageSource().contains("\"Quarterly report.bin\" uploaded."));
            Chrome.screenshot(browser, "my-files-upload");
            emulator.faults().latency(Duration.ZERO);
        } finally {
            browser.quit();
        }
        DriveStore.Drive oneDrive = adelesOneDrive();
        assertEquals(6 * 1024 * 1024, emulator.drives().itemByPath(oneDrive.id(), "root", "Quarterly report.bin").size());
    }

    @Test
    void anUploadOverThePlatformsLimitIsRefusedInThePageSayingWhy() throws Exception {
        host.close();
        host = TestHost.start(root, c -> c.withEmulatedMicrosoft365().withMaxUploadBytes(1024 * 1024));
        emulator = host.host().emulator().orElseThrow();
        adele = host.client();
        adele.login("adele", "adele's long password");
        String id = addOneDrive();
        afterSync("/files/" + id, "Welcome.txt");
        ChromeDriver browser = browserAsAdele("/files/" + id);
        try {
            Path survey = Files.write(root.resolve("Site survey.bin"), new byte[3 * 1024 * 1024]);
            browser.findElement(By.id("f-file")).sendKeys(survey.toString());
            browser.findElement(By.id("upload")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#uploads li.failed")).size() == 1);
            String said = browser.findElement(By.cssSelector("#uploads li .meta")).getText();
            assertTrue(said.startsWith("File too large: The upload is larger than this platform's limit of 1"), said);
            assertTrue(said.contains("Nothing was saved"), said);
            assertTrue(browser.findElement(By.id("upload")).isEnabled(), "the form stayed disabled");
        } finally {
            browser.quit();
        }
        DriveStore.Drive oneDrive = adelesOneDrive();
        assertTrue(emulator.drives().children(oneDrive.id(), emulator.drives().rootId(oneDrive.id())).stream()
                .noneMatch(i -> i.name().equals("Site survey.bin")), "a refused upload reached OneDrive");
    }

    @Test
    void newFolderUploadRenameAndDeleteShowAtOnceAndHappenInOneDrive() throws Exception {
        String id = addOneDrive();
        String rootPage = afterSync("/files/" + id, "Welcome.txt");
        DriveStore.Drive oneDrive = adelesOneDrive();
        String rootFolder = WebClient.find(rootPage, "action=\"/files/[^/]+/folders/([^/]+)/new-folder\"");

        String page = adele.follow(adele.post("/files/" + id + "/folders/" + rootFolder + "/new-folder",
                Map.of("name", "Minutes"))).body();
        assertTrue(page.contains(">Minutes</a>"), page);
        String minutes = emulator.drives().itemByPath(oneDrive.id(), "root", "Minutes").id();
        String again = adele.follow(adele.post("/files/" + id + "/folders/" + rootFolder + "/new-folder",
                Map.of("name", "Minutes"))).body();
        assertTrue(again.contains("A file or folder named &quot;Minutes&quot; already exists here."), again);

        page = adele.follow(adele.upload("/files/" + id + "/folders/" + minutes + "/upload", Map.of(), "kick-off.txt",
                "minutes of the kick-off".getBytes(StandardCharsets.UTF_8))).body();
        assertTrue(page.contains("<td>kick-off.txt</td>"), page);
        String file = emulator.drives().itemByPath(oneDrive.id(), "root", "Minutes/kick-off.txt").id();

        page = adele.follow(adele.post("/files/" + id + "/items/" + file + "/rename", Map.of("name", "kick-off v2.txt")))
                .body();
        assertTrue(page.contains("<td>kick-off v2.txt</td>"), page);
        assertEquals("kick-off v2.txt", emulator.drives().item(oneDrive.id(), file).name());

        page = adele.follow(adele.post("/files/" + id + "/items/" + file + "/rename", Map.of("name", "what?.txt")))
                .body();
        assertTrue(page.contains("Name not supported: &quot;what?.txt&quot; contains ?, which OneDrive and SharePoint do not allow"), page);

        // Up to the drive's root and back into Minutes, by the page's own Move menu.
        String up = WebClient.find(page, "items/" + file + "/move\"(?s).*?<option value=\"([^\"]+)\">↑ Up one level");
        page = adele.follow(adele.post("/files/" + id + "/items/" + file + "/move", Map.of("to", up))).body();
        assertTrue(page.contains("Moved &quot;kick-off v2.txt&quot; to My OneDrive."), page);
        assertEquals("kick-off v2.txt", emulator.drives().itemByPath(oneDrive.id(), "root", "kick-off v2.txt").name());
        adele.post("/files/" + id + "/items/" + file + "/move", Map.of("to", minutes));
        page = adele.get("/files/" + id + "/folders/" + minutes).body();
        assertTrue(page.contains("<td>kick-off v2.txt</td>"), page);
        assertEquals(minutes, emulator.drives().item(oneDrive.id(), file).parentId());
        page = adele.follow(adele.post("/files/" + id + "/items/" + file + "/move", Map.of("to", file))).body();
        assertTrue(page.contains("Choose a folder to move"), page);

        page = adele.follow(adele.post("/files/" + id + "/items/" + file + "/delete", Map.of())).body();
        assertFalse(page.contains("kick-off v2.txt</td>"), page);
        assertTrue(emulator.drives().children(oneDrive.id(), minutes).isEmpty());

        adele.post("/files/" + id + "/sync", Map.of());
        String synced = afterSync("/files/" + id + "/folders/" + minutes, "Last sync");
        assertFalse(synced.contains("kick-off"), "the next sync brought a deleted file back");
    }

    @Test
    void aSharePointLibraryTheUserWorksInSyncsIntoMyFiles() throws Exception {
        assertTrue(adele.get("/files/add").body().contains("id=\"type-sharepoint-library\""));
        String id = addLibrary();

        assertTrue(afterSync("/files/" + id, "Procedures").contains(">Procedures</a>"));
    }

    /** Adele adds the Documents library of Project Document Control; returns the drive's id. */
    private String addLibrary() throws Exception {
        String sites = signInForALibrary(adele, "adele");
        String libraries = adele.get(SharePointAdmin.link(sites, "site",
                "Project Document Control")).body();
        String form = adele.follow(adele.get(SharePointAdmin.link(libraries, "library", "Documents"))).body();
        assertTrue(form.contains("value=\"Project Document Control · Documents\""), form);

        Map<String, String> fields = libraryFields(form);
        fields.put("name", "Project documents");
        HttpResponse<String> saved = adele.post("/files/add/sharepoint-library", fields);
        assertEquals(303, saved.statusCode(), saved.body());
        return WebClient.find(saved.headers().firstValue("Location").orElseThrow(), "/files/([0-9a-f-]{36})");
    }

    /** The hidden settings of a SharePoint library form the pickers filled in. */
    private static Map<String, String> libraryFields(String form) {
        Map<String, String> fields = new HashMap<>();
        for (String name : new String[]{"connection", "account", "site", "siteName", "library", "libraryName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\""));
        }
        return fields;
    }

    /** Walks Add drive → SharePoint library → Sign in with Microsoft as the person, and returns the site picker. */
    private String signInForALibrary(WebClient person, String microsoftUser) throws Exception {
        String setup = person.get("/files/add/sharepoint-library").body();
        String connect = WebClient.find(setup, "id=\"connect-microsoft\" href=\"([^\"]+)\"").replace("&amp;", "&");
        HttpResponse<String> toMicrosoft = person.get(connect);
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(
                toMicrosoft.headers().firstValue("Location").orElseThrow(), microsoftUser + "@" + DemoSeed.TENANT_DOMAIN,
                DemoSeed.PASSWORD);
        return new SharePointAdmin(person, emulator).follow("/plugins/sharepoint/callback",
                person.callback("/plugins/sharepoint/callback", answer)).body();
    }

    @Test
    void aLibraryThePersonMayOnlyReadSyncsButRefusesChangesSayingWhy() throws Exception {
        host.admin().post("/admin/users", Map.of("username", "alex", "displayName", "Alex Wilber",
                "password", "alex's long password", "role", "USER"));
        WebClient alex = host.client();
        alex.login("alex", "alex's long password");
        // Alex is a Visitor of Project Document Control: he opens its libraries, he edits none.
        String sites = signInForALibrary(alex, "alex");
        String libraries = alex.get(SharePointAdmin.link(sites, "site",
                "Project Document Control")).body();
        Map<String, String> fields = libraryFields(alex.follow(alex.get(SharePointAdmin.link(libraries, "library", "Documents")))
                .body());
        fields.put("name", "Project documents");
        String id = WebClient.find(alex.post("/files/add/sharepoint-library", fields).headers().firstValue("Location")
                .orElseThrow(), "/files/([0-9a-f-]{36})");
        String page = "";
        for (int i = 0; i < 200 && !(page.contains("Procedures") && !page.contains("Syncing")); i++) {
            Thread.sleep(50);
            page = alex.get("/files/" + id).body();
        }
        assertTrue(page.contains(">Procedures</a>"), page);

        String root = WebClient.find(page, "action=\"/files/[^/]+/folders/([^/]+)/new-folder\"");
        page = alex.follow(alex.upload("/files/" + id + "/folders/" + root + "/upload", Map.of(), "notes.txt",
                "mine".getBytes(StandardCharsets.UTF_8))).body();
        assertTrue(page.contains("Permission denied: Microsoft 365 refused"), page);
        assertTrue(page.contains("You need edit rights on the library"), page);
        assertFalse(page.contains("<td>notes.txt</td>"), "a refused upload was listed");
    }

    @Test
    void cancellingConsentForALibraryOffersToTryTheSameAgainAndLeadsBackToMyFiles() throws Exception {
        String setup = adele.get("/files/add/sharepoint-library").body();
        String connect = WebClient.find(setup, "id=\"connect-microsoft\" href=\"([^\"]+)\"").replace("&amp;", "&");
        SignInBrowser person = new SignInBrowser(emulator);
        person.get(adele.get(connect).headers().firstValue("Location").orElseThrow());
        person.signIn("adele@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD);
        assertTrue(person.page.contains("Permissions requested"), person.page);
        String page = adele.callback("/plugins/sharepoint/callback", SignInBrowser.delivered(
                person.submit(Map.of("decision", "cancel")))).body();
        assertTrue(page.contains("id=\"declined\""), page);
        // The same setup's sign-in again (not the administrators' storage sign-in), and back to My Files.
        assertTrue(page.contains("id=\"try-again\" href=\"/plugins/sharepoint/connect?setup="), page);
        assertTrue(page.contains("id=\"back\" href=\"/files\">Back"), page);
        assertTrue(page.contains("to sync it into My Files"), page);
    }

    @Test
    void aPersonsMicrosoftConnectionIsTheirsAlone() throws Exception {
        String adeles = WebClient.find(signInForALibrary(adele, "adele"), "name=\"connection\" value=\"([^\"]+)\"");
        WebClient admin = host.admin();
        admin.post("/admin/users", Map.of("username", "alex", "displayName", "Alex Wilber",
                "password", "alex's long password", "role", "USER"));
        WebClient alex = host.client();
        alex.login("alex", "alex's long password");

        String alexsSetup = WebClient.find(alex.linkOn("/files/add/sharepoint-library", "connect-microsoft"),
                "setup=([\\w-]+)");
        HttpResponse<String> borrowed = alex.get("/plugins/sharepoint/sites?setup=" + alexsSetup + "&connection="
                + adeles);
        assertEquals(403, borrowed.statusCode());
        assertFalse(borrowed.body().contains("Project Document Control"), "another person's sites were listed");
        assertEquals(403, alex.get("/settings/storage/add/sharepoint").statusCode(),
                "a non-administrator opened the organisation's storage setup");
        String adelesSetup = WebClient.find(adele.linkOn("/files/add/sharepoint-library", "connect-microsoft"),
                "setup=([\\w-]+)");
        assertEquals(400, alex.get("/plugins/sharepoint/connect?setup=" + adelesSetup).statusCode(),
                "a setup of another person's session was continued");

        alex.get("/files/add/sharepoint-library");
        HttpResponse<String> takeover = alex.post("/files/add/sharepoint-library", Map.of("name", "Not mine",
                "connection", adeles, "library", "any"));
        assertEquals(400, takeover.statusCode(), "a drive was made from another person's connection");
        assertTrue(takeover.body().contains("Connect with Microsoft first."), takeover.body());

        // Asking to sign in "again" to Adele's connection gives Alex a connection of his own; Adele's is untouched.
        HttpResponse<String> toMicrosoft = alex.get("/plugins/sharepoint/connect?setup=" + alexsSetup
                + "&connection=" + adeles);
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(
                toMicrosoft.headers().firstValue("Location").orElseThrow(), "alex@" + DemoSeed.TENANT_DOMAIN,
                DemoSeed.PASSWORD);
        String alexs = WebClient.find(new SharePointAdmin(alex, emulator).follow("/plugins/sharepoint/callback",
                alex.callback("/plugins/sharepoint/callback", answer)).body(), "name=\"connection\" value=\"([^\"]+)\"");
        assertNotEquals(adeles, alexs);
        String adelesSites = adele.get("/plugins/sharepoint/sites?setup=" + adelesSetup + "&connection=" + adeles)
                .body();
        assertTrue(adelesSites.contains("Signed in as adele@"), "Adele's connection was re-signed by someone else");
        assertTrue(adelesSites.contains("Project Document Control"), adelesSites);
    }

    @Test
    void anAdministratorTurnsOffPersonalDrivesAndDownloads() throws Exception {
        String id = addOneDrive();
        String page = afterSync("/files/" + id, "Welcome.txt");
        String download = WebClient.find(page, "<td>Welcome.txt</td>(?s).*?href=\"(/files/[^\"]+/download)\"");
        WebClient admin = host.admin();
        String integrations = admin.get("/admin/integrations").body();
        assertTrue(integrations.contains("Offline demo: Microsoft 365 is emulated"), integrations);
        assertTrue(integrations.contains("id=\"f-personal\" checked"), integrations);
        assertEquals(403, adele.get("/admin/integrations").statusCode(), "a user reached the admin page");

        admin.post("/admin/integrations", Map.of()); // both boxes unticked

        assertTrue(adele.get("/files").body().contains("Integration not available — ask your administrator."));
        assertEquals(503, adele.get("/files/add/onedrive").statusCode());
        HttpResponse<byte[]> refused = adele.download(download);
        assertEquals(403, refused.statusCode());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("turned off downloads"));
        String withoutDownloads = adele.get("/files/" + id).body();
        assertTrue(withoutDownloads.contains("Welcome.txt"), "a connected drive stopped showing");
        assertFalse(withoutDownloads.contains(">Download</a>"), "a Download button that only leads to an error");

        admin.get("/admin/integrations");
        admin.post("/admin/integrations", Map.of("personalDrives", "on", "downloads", "on"));
        assertEquals(200, adele.download(download).statusCode());
    }

    @Test
    void withoutTheIntegrationUsersAreToldToAskTheirAdministrator() {
        host.close();
        host = TestHost.start(root.resolve("bare"));
        WebClient someone = host.admin();

        assertTrue(someone.get("/files").body().contains("Integration not available — ask your administrator."));
        assertEquals(503, someone.get("/files/add/onedrive").statusCode());
    }

    @Test
    void anAdministratorSharesALibraryWithEveryoneWhoMayBrowseAndDownloadButNotChangeIt() throws Exception {
        WebClient admin = host.admin();
        String integrations = admin.get("/admin/integrations").body();
        assertTrue(integrations.contains("id=\"add-organisation-sharepoint-library\""), integrations);
        assertFalse(integrations.contains("add-organisation-onedrive"), "a person's OneDrive offered for everyone");
        assertEquals(404, admin.get("/admin/integrations/drives/add/onedrive").statusCode());
        assertEquals(403, adele.get("/admin/integrations/drives/add/sharepoint-library").statusCode());

        // The administrator signs in as Megan for the organisation, and picks Project Document Control's Documents.
        String setup = admin.get("/admin/integrations/drives/add/sharepoint-library").body();
        String connect = WebClient.find(setup, "id=\"connect-microsoft\" href=\"([^\"]+)\"").replace("&amp;", "&");
        HttpResponse<String> toMicrosoft = admin.get(connect);
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(
                toMicrosoft.headers().firstValue("Location").orElseThrow(), "megan@" + DemoSeed.TENANT_DOMAIN,
                DemoSeed.PASSWORD);
        SharePointAdmin pages = new SharePointAdmin(admin, emulator);
        String sites = pages.follow("/plugins/sharepoint/callback", admin.callback("/plugins/sharepoint/callback", answer))
                .body();
        String libraries = admin.get(SharePointAdmin.link(sites, "site",
                "Project Document Control")).body();
        HttpResponse<String> handedBack = admin.get(SharePointAdmin.link(libraries, "library", "Documents"));
        assertTrue(handedBack.headers().firstValue("Location").orElseThrow()
                .startsWith("/admin/integrations/drives/add/sharepoint-library?setup="), handedBack.headers().toString());
        String form = admin.follow(handedBack).body();
        Map<String, String> fields = libraryFields(form);
        fields.put("name", "Project documents (everyone)");
        HttpResponse<String> saved = admin.post("/admin/integrations/drives/add/sharepoint-library", fields);
        assertEquals(303, saved.statusCode(), saved.body());
        String id = WebClient.find(saved.headers().firstValue("Location").orElseThrow(), "/files/([0-9a-f-]{36})");
        String listed = admin.get("/admin/integrations").body();
        assertTrue(listed.contains("Project documents (everyone)"), listed);

        // Adele did nothing, yet it is in her My Files, marked as the organisation's, and she may read it.
        String list = adele.get("/files").body();
        assertTrue(list.contains("Project documents (everyone)") && list.contains("shared by your organisation"), list);
        String page = afterSync("/files/" + id, "Procedures");
        assertTrue(page.contains("id=\"organisation-drive\""), page);
        assertFalse(page.contains("id=\"upload-form\"") || page.contains("class=\"inline rename\"")
                || page.contains("id=\"disconnect\""), "changes offered to a person who may not make them");
        String procedures = WebClient.find(page, "href=\"/files/[^/]+/folders/([^\"]+)\">Procedures</a>");
        assertEquals(303, adele.post("/files/" + id + "/sync", Map.of()).statusCode());

        // Changing it is for administrators, whatever she posts by hand.
        HttpResponse<String> refused = adele.post("/files/" + id + "/folders/" + procedures + "/new-folder",
                Map.of("name", "Adele was here"));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("is shared with everyone by your organisation"), refused.body());
        assertEquals(403, adele.post("/files/" + id + "/disconnect", Map.of()).statusCode());
        assertEquals(403, adele.post("/files/" + id + "/interval", Map.of("minutes", "60")).statusCode());
        DriveStore.Drive library = emulator.drives().drives().stream().filter(d -> d.name().equals("Documents")
                && d.webUrl().contains("ProjectDocumentControl")).findFirst().orElseThrow();
        assertTrue(emulator.drives().children(library.id(), procedures).stream()
                .noneMatch(i -> i.name().equals("Adele was here")));

        // The administrator manages it from My Files, and removing it removes it from everyone's.
        assertTrue(admin.get("/files/" + id).body().contains("id=\"disconnect\""));
        admin.get("/files/" + id + "/disconnect");
        assertEquals(303, admin.post("/files/" + id + "/disconnect", Map.of()).statusCode());
        assertFalse(adele.get("/files").body().contains("Project documents (everyone)"));
        assertTrue(emulator.drives().itemByPath(library.id(), "root", "Procedures").folder());
    }
}
