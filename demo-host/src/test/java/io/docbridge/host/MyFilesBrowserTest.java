package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.testing.Chrome;
import io.docbridge.host.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's whole story in headless Chromium, with both plugin zips in the plugins folder and the emulated
 * Microsoft sign-in pages: the administrator allows personal drives; a person adds their OneDrive and a SharePoint
 * library, sees their files, uploads, renames, picks up a change made in Microsoft 365 with Sync Now, and
 * disconnects both, after which the remote files are still there. Nothing is called directly but the emulator's
 * own store, which stands for "someone else changed it in Microsoft 365".
 */
class MyFilesBrowserTest {
    @TempDir
    Path root;
    TestHost host;
    M365Emulator emulator;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        browser = Chrome.start(root, true);
        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip", "sharepoint-plugin.zip");
        emulator = host.host().emulator().orElseThrow();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
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

    private WebElement id(String id) {
        return wait.until(ExpectedConditions.elementToBeClickable(By.id(id)));
    }

    private void until(By where, String text) {
        // A page that is being replaced can answer "node does not belong to the document" for an element found a
        // moment before: that is a reason to look again, not a failure.
        wait.ignoring(org.openqa.selenium.WebDriverException.class)
                .until(ExpectedConditions.textToBePresentInElementLocated(where, text));
    }

    private void signIn(String username, String password) {
        browser.get(host.url("/login").toString());
        id("f-username").sendKeys(username);
        id("f-password").sendKeys(password);
        id("sign-in").click();
        until(By.className("usermenu"), "Sign out");
    }

    private void signOut() {
        browser.findElement(By.xpath("//form[@action='/logout']/button")).click();
        id("f-username");
    }

    /** The emulated Microsoft pages: account, password, and consent when the app asks for more than was granted. */
    private void microsoftSignIn(String user) throws Exception {
        id("i0116").sendKeys(user + "@" + DemoSeed.TENANT_DOMAIN);
        id("i0118").sendKeys(DemoSeed.PASSWORD);
        id("idSIButton9").click();
        String docbridge = host.url("/").toString();
        wait.until(d -> d.getCurrentUrl().startsWith(docbridge) || !d.findElements(By.id("permissions")).isEmpty());
        if (!browser.getCurrentUrl().startsWith(docbridge)) {
            Chrome.screenshot(browser, "microsoft-consent-" + user);
            id("idSIButton9").click();
            wait.until(d -> d.getCurrentUrl().startsWith(docbridge));
        }
    }

    private void setPersonalDrives(boolean allowed) {
        browser.get(host.url("/admin/integrations").toString());
        if (id("f-personal").isSelected() != allowed) {
            id("f-personal").click();
        }
        WebElement save = id("save-integrations");
        save.click();
        wait.until(ExpectedConditions.stalenessOf(save)); // the saved page, not the form before it
        until(By.tagName("main"), "Integrations");
    }

    /** The row of the folder page's table that shows the item. */
    private WebElement row(String name) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//table[@id='items']//tr[td[normalize-space()='" + name + "' or a[contains(.,'" + name + "')]]]")));
    }

    private DriveStore.Drive adelesOneDrive() {
        return emulator.drives().drives().stream().filter(d -> d.ownerId() != null
                && d.owner().email().startsWith("adele@")).findFirst().orElseThrow();
    }

    @Test
    void anAdministratorAllowsDrivesAndAPersonWorksWithOneDriveAndASharePointLibrary() throws Exception {
        // The administrator adds Adele and turns personal drives off: My Files says so instead of offering them.
        signIn("admin", TestHost.ADMIN_PASSWORD);
        browser.get(host.url("/admin/users").toString());
        id("f-username").sendKeys("adele");
        id("f-displayName").sendKeys("Adele Vance");
        id("f-password").sendKeys("adele's long password");
        browser.findElement(By.xpath("//form[@action='/admin/users']//button[@type='submit']")).click();
        until(By.id("users"), "Adele Vance");
        setPersonalDrives(false);
        signOut();
        signIn("adele", "adele's long password");
        id("nav-files").click();
        until(By.id("not-available"), "Integration not available — ask your administrator.");
        assertTrue(browser.findElements(By.id("add-drive")).isEmpty());
        signOut();

        // ... and on again.
        signIn("admin", TestHost.ADMIN_PASSWORD);
        setPersonalDrives(true);
        signOut();

        // Adele adds her OneDrive.
        signIn("adele", "adele's long password");
        id("nav-files").click();
        id("add-drive").click();
        id("type-onedrive").click();
        id("connect-microsoft").click();
        microsoftSignIn("adele");
        until(By.id("connected-as"), "adele@" + DemoSeed.TENANT_DOMAIN);
        id("f-name").clear();
        id("f-name").sendKeys("My OneDrive");
        id("save-provider").click();
        // The page follows the first sync by itself and shows the files when it ends.
        row("Welcome.txt");
        row("Work");
        until(By.id("sync-status"), "Last sync");

        // Upload, then rename what was uploaded.
        byte[] minutes = new byte[300_000];
        new Random(5).nextBytes(minutes);
        id("f-file").sendKeys(Files.write(root.resolve("Minutes.bin"), minutes).toString());
        id("upload").click();
        until(By.tagName("main"), "\"Minutes.bin\" uploaded.");
        row("Minutes.bin").findElement(By.cssSelector("details.row-menu > summary")).click();
        WebElement newName = row("Minutes.bin").findElement(By.cssSelector("form.rename input[name=name]"));
        newName.clear();
        newName.sendKeys("Minutes of the kick-off.bin");
        row("Minutes.bin").findElement(By.cssSelector("form.rename button")).click();
        until(By.tagName("main"), "Renamed to \"Minutes of the kick-off.bin\".");
        row("Minutes of the kick-off.bin");
        DriveStore.Drive oneDrive = adelesOneDrive();
        assertEquals(minutes.length, emulator.drives().itemByPath(oneDrive.id(), "root", "Minutes of the kick-off.bin")
                .size());

        // A colleague adds a file in OneDrive on the web; Sync Now brings it in (if the push did not already).
        emulator.drives().commitFile(oneDrive.id(), emulator.drives().rootId(oneDrive.id()), "Added on the web.txt", emulator.drives().stage(
                new ByteArrayInputStream("from the web".getBytes(StandardCharsets.UTF_8))), "fail", DriveStore.Actor.SYSTEM);
        assertTrue(browser.findElements(By.xpath("//td[normalize-space()='Added on the web.txt']")).isEmpty());
        id("sync-now").click();
        row("Added on the web.txt");
        until(By.id("sync-status"), "Last sync");
        Chrome.screenshot(browser, "my-files-onedrive");

        // The gear menu: last result, how often it syncs.
        browser.findElement(By.cssSelector("#drive-menu > summary")).click();
        until(By.id("last-result"), "Last result: synced");
        new org.openqa.selenium.support.ui.Select(id("f-minutes")).selectByVisibleText("every hour");
        Chrome.screenshot(browser, "my-files-gear-menu");
        id("save-interval").click();
        until(By.tagName("main"), "Sync interval saved.");
        browser.findElement(By.cssSelector("#drive-menu > summary")).click();
        assertEquals("every hour", new org.openqa.selenium.support.ui.Select(id("f-minutes")).getFirstSelectedOption()
                .getText());

        // And a SharePoint library she works in.
        id("nav-files").click();
        id("add-drive").click();
        id("type-sharepoint-library").click();
        id("connect-microsoft").click();
        microsoftSignIn("adele");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Project Document Control"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//ul[@id='libraries']//a[.='Documents']"))).click();
        until(By.id("chosen-library"), "Documents");
        assertEquals("Project Document Control · Documents", id("f-name").getAttribute("value"));
        id("save-provider").click();
        row("Procedures");

        // My Files lists both, with their type and last sync.
        id("nav-files").click();
        until(By.tagName("main"), "My OneDrive");
        until(By.tagName("main"), "Project Document Control · Documents");
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("SharePoint library"),
                browser.findElement(By.tagName("main")).getText());
        Chrome.screenshot(browser, "my-files-drives");

        // Disconnect both: My Files forgets them, Microsoft 365 keeps every file.
        for (String name : new String[]{"My OneDrive", "Project Document Control · Documents"}) {
            id("nav-files").click();
            wait.until(ExpectedConditions.elementToBeClickable(By.linkText(name))).click();
            browser.findElement(By.cssSelector("#drive-menu > summary")).click();
            id("disconnect").click();
            id("confirm").click();
            until(By.tagName("main"), "were not touched");
            assertTrue(browser.findElements(By.linkText(name)).isEmpty(), name + " is still listed");
        }
        assertEquals("Welcome.txt", emulator.drives().itemByPath(oneDrive.id(), "root", "Welcome.txt").name());
        assertEquals(minutes.length, emulator.drives().itemByPath(oneDrive.id(), "root", "Minutes of the kick-off.bin")
                .size());
        assertFalse(emulator.drives().itemByPath(oneDrive.id(), "root", "Added on the web.txt").folder());
        DriveStore.Drive library = emulator.drives().drives().stream().filter(d -> d.name().equals("Documents")
                && d.webUrl().contains("ProjectDocumentControl")).findFirst().orElseThrow();
        assertTrue(emulator.drives().itemByPath(library.id(), "root", "Procedures").folder());
    }
}
