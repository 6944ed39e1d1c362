package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.testing.BrowserSession;
import io.docbridge.host.testing.Chrome;
import io.docbridge.host.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The states an administrator or a person can reach after the first day, walked in headless Chromium: a slow
 * Microsoft 365, an app that needs an administrator's approval, a restart, a storage that fails its check.
 */
class RecoveryBrowserTest {
    @TempDir
    Path root;
    TestHost host;
    ChromeDriver browser;
    BrowserSession person;

    @BeforeEach
    void start() throws Exception {
        browser = Chrome.start(root, true);
        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip", "sharepoint-plugin.zip");
        person = new BrowserSession(browser, () -> host);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (host != null) {
            host.close();
        }
    }

    private M365Emulator emulator() {
        return host.host().emulator().orElseThrow();
    }

    @Test
    void aSlowMicrosoftGivesANewFolderATimeOutMessageAndNoDuplicate() throws Exception {
        // Answers time out after 2 s here (25 s by default), so that 6 s of latency is "too slow".
        host.host().services().forPlugin("onedrive").settings().put("m365.answerSeconds", "2");
        person.signInAsAdministrator();
        person.addOneDrive("adele", "My OneDrive");
        DriveStore.Drive oneDrive = emulator().drives().drives().stream().filter(d -> d.ownerId() != null
                && d.owner().email().startsWith("adele@")).findFirst().orElseThrow();
        emulator().faults().clearLog();
        emulator().faults().latency(Duration.ofSeconds(6));

        long started = System.nanoTime();
        person.id("f-folder").sendKeys("Minutes");
        person.el(By.cssSelector("#new-folder-form button")).click();
        person.until(By.tagName("main"), "Timed out: Microsoft 365 did not answer in time; the folder may have been "
                + "created. Refresh to see whether it happened before you try again.");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(waited.compareTo(Duration.ofSeconds(20)) < 0, "the page took " + waited);
        Chrome.screenshot(browser, "slow-microsoft");

        // The create that was too slow still lands, once; a refresh shows it.
        emulator().faults().latency(Duration.ZERO);
        person.wait.until(d -> emulator().drives().children(oneDrive.id(), emulator().drives().rootId(oneDrive.id()))
                .stream().anyMatch(i -> i.name().equals("Minutes")));
        assertEquals(1, emulator().faults().count(r -> r.method().equals("POST") && r.path().endsWith("/children")),
                "the create was sent again");
        person.id("sync-now").click();
        person.row("Minutes");
        assertEquals(1, emulator().drives().children(oneDrive.id(), emulator().drives().rootId(oneDrive.id())).stream()
                .filter(i -> i.name().startsWith("Minutes")).count());
    }

    @Test
    void anAdministratorsApprovalLandsOnASuccessPageAndConnectingAgainWorks() throws Exception {
        var tenant = emulator().directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
        emulator().directory().putTenant(tenant.withUserConsentAllowed(false));
        person.signInAsAdministrator();
        person.id("nav-files").click();
        person.id("add-drive").click();
        person.id("type-onedrive").click();
        person.id("connect-microsoft").click();
        person.id("i0116").sendKeys("adele@" + DemoSeed.TENANT_DOMAIN);
        person.id("i0118").sendKeys(DemoSeed.PASSWORD);
        person.id("idSIButton9").click();
        // The emulated Microsoft page says approval is needed; going back to the app brings the admin-consent link.
        person.id("cancel-link").click();
        person.until(By.id("admin-approval"), "only administrators approve apps");
        person.id("copy-admin-consent").click();
        person.until(By.id("copy-admin-consent"), "Copied");
        String link = person.id("admin-consent-url").getAttribute("value");
        assertTrue(link.contains("/v2.0/adminconsent?client_id="), link);
        Chrome.screenshot(browser, "admin-approval-needed");

        // Megan, a tenant administrator, opens the link and approves for the organisation.
        person.id("admin-consent-link").click();
        person.id("i0116").sendKeys("megan@" + DemoSeed.TENANT_DOMAIN);
        person.id("i0118").sendKeys(DemoSeed.PASSWORD);
        person.id("idSIButton9").click();
        person.id("idSIButton9").click(); // Accept, for the organisation
        person.until(By.id("admin-approved"), "approved for everyone in your organisation");
        Chrome.screenshot(browser, "admin-approved");

        // Connect again: Adele signs in without any approval page and her drive syncs.
        person.id("try-again").click();
        person.microsoftSignIn("adele");
        person.until(By.id("connected-as"), "adele@" + DemoSeed.TENANT_DOMAIN);
        person.id("save-provider").click();
        person.until(By.id("sync-status"), "Last sync");
    }

    @Test
    void aRestartKeepsEachDrivesLastSync() throws Exception {
        person.signInAsAdministrator();
        person.addOneDrive("adele", "My OneDrive");
        person.until(By.id("sync-status"), "changes applied");
        String before = person.text(By.id("sync-status"));

        host.close();
        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip", "sharepoint-plugin.zip");
        person.signInAsAdministrator();
        person.id("nav-files").click();
        String listed = person.text(By.tagName("main"));
        assertTrue(!listed.contains("Not run yet") && !listed.contains("not synced yet"), listed);
        person.el(By.linkText("My OneDrive")).click();
        String after = person.text(By.id("sync-status"));
        assertTrue(after.startsWith("Last sync"), after);
        assertTrue(after.endsWith(before.substring(before.indexOf(':'))) || after.contains("changes applied"),
                before + " / " + after);
        person.el(By.cssSelector("#drive-menu > summary")).click();
        person.until(By.id("last-result"), "Last result: synced");
    }

    @Test
    void settingAFailedStorageAsDefaultAsksFirstAndSaysWhy() throws Exception {
        person.signInAsAdministrator();
        person.open("/settings/storage/add/local-disk");
        person.id("f-name").clear();
        person.id("f-name").sendKeys("Archive disk");
        person.id("f-folder").clear();
        person.id("f-folder").sendKeys("archive");
        person.id("save-provider").click();
        person.until(By.className("flash-success"), "was added");
        // The folder is replaced by a file behind the host's back: its check fails.
        Path folder = host.dataDir.resolve("archive");
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.writeString(folder, "not a folder");
        By card = By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'Archive disk')]]");
        person.el(By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'Archive disk')]]"
                + "//button[contains(@class,'verify')]")).click();
        person.until(card, "Failed");

        person.el(By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'Archive disk')]]"
                + "//a[contains(@class,'set-default')]")).click();
        String warning = person.text(By.tagName("main"));
        assertTrue(warning.contains("Its last check failed:") && warning.contains("new uploads will fail"), warning);
        Chrome.screenshot(browser, "failed-default-confirmation");
        // Cancel keeps the default as it was.
        person.el(By.linkText("Cancel")).click();
        person.until(By.xpath("//section[contains(@class,'provider')][.//span[contains(@class,'badge-default')]]"),
                "Local disk");
        assertEquals(List.of(), browser.findElements(By.xpath("//section[contains(@class,'provider')][.//h2[contains("
                + ".,'Archive disk')]]//span[contains(@class,'badge-default')]")));
    }

    @Test
    void aNameTypedBeforeSigningInWithMicrosoftIsKept() {
        person.signInAsAdministrator();
        person.id("nav-files").click();
        person.id("add-drive").click();
        person.id("type-sharepoint-library").click();
        person.id("f-name").clear();
        person.id("f-name").sendKeys("Drawings for the harbour bridge");
        person.id("connect-microsoft").click();
        person.microsoftSignIn("adele");
        person.el(By.linkText("Project Document Control")).click();
        person.el(By.linkText("Drawings")).click();
        person.until(By.id("chosen-library"), "Drawings");
        assertEquals("Drawings for the harbour bridge", person.id("f-name").getAttribute("value"));
        person.id("save-provider").click();
        person.until(By.id("folder-name"), "Drawings for the harbour bridge");

        // The next Add form starts afresh.
        person.id("nav-files").click();
        person.id("add-drive").click();
        person.id("type-onedrive").click();
        assertEquals("OneDrive", person.id("f-name").getAttribute("value"));
    }
}
