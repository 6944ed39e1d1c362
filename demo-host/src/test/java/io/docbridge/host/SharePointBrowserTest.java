package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The organisation administrator's SharePoint walk in headless Chromium, steps 1 to 8 of issue 4, including the
 * emulated Microsoft sign-in and consent pages: the real plugin zip, the real pages, nothing called directly.
 */
class SharePointBrowserTest {
    @TempDir
    Path root;
    TestHost host;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        browser = Chrome.start(root, true);
        host = TestHost.withMicrosoftPlugins(root, "sharepoint-plugin.zip");
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        // A page being replaced can answer "node does not belong to the document" for an element found a moment
        // before (seen in CI): look again rather than fail.
        wait.ignoring(org.openqa.selenium.WebDriverException.class);
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

    private WebElement el(By by) {
        return wait.until(ExpectedConditions.elementToBeClickable(by));
    }

    private WebElement id(String id) {
        return el(By.id(id));
    }

    @Test
    void fromAddProviderToARevisionStoredInSharePoint() throws Exception {
        browser.get(host.url("/settings/storage").toString());
        id("f-username").sendKeys("admin");
        id("f-password").sendKeys(TestHost.ADMIN_PASSWORD);
        id("sign-in").click();

        // 1. Settings → Storage → Add Provider → SharePoint Online
        id("add-provider").click();
        id("type-sharepoint").click();
        // 2. Connect with Microsoft: the emulated sign-in and consent pages
        id("connect-microsoft").click();
        id("i0116").sendKeys("megan@" + DemoSeed.TENANT_DOMAIN);
        id("i0118").sendKeys(DemoSeed.PASSWORD);
        Chrome.screenshot(browser, "microsoft-sign-in");
        id("idSIButton9").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("permissions"), "Edit or delete items"));
        Chrome.screenshot(browser, "microsoft-consent");
        id("idSIButton9").click();
        // 3. Site
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Signed in as megan"));
        el(By.linkText("Project Document Control")).click();
        // 4. Library
        el(By.xpath("//ul[@id='libraries']//a[.='Documents']")).click(); // not the menu's Documents
        // 5. Folder structure, then Save
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chosen-library"), "Documents"));
        Chrome.screenshot(browser, "sharepoint-setup");
        id("save-provider").click();
        // 6. Run Verification
        WebElement card = el(By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'SharePoint Online')]]"));
        card.findElement(By.className("verify")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'SharePoint Online')]]"), "Verified"));
        // 7. Set as Default (confirm)
        el(By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'SharePoint Online')]]"
                + "//a[contains(@class,'set-default')]")).click();
        id("confirm").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("flash-success"), "is now the default"));
        Chrome.screenshot(browser, "sharepoint-storage");
        // 8. New Document with a file → stored in the library → download the same bytes
        browser.get(host.url("/documents").toString());
        id("f-code").sendKeys("PRJ-1");
        id("f-name").sendKeys("Harbour bridge");
        id("create-project").click();
        id("new-document").click();
        byte[] content = new byte[400_000];
        new Random(8).nextBytes(content);
        Path upload = Files.write(root.resolve("GA drawing.pdf"), content);
        id("f-title").sendKeys("General arrangement");
        id("f-file").sendKeys(upload.toString());
        id("create-document").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("revisions"), "SharePoint Online"));
        Chrome.screenshot(browser, "sharepoint-document");

        var emulator = host.host().emulator().orElseThrow();
        var library = emulator.drives().drives().stream().filter(d -> d.name().equals("Documents")
                && d.webUrl().contains("ProjectDocumentControl")).findFirst().orElseThrow();
        var stored = emulator.drives().itemByPath(library.id(), "root", "Docbridge/PRJ-1/PRJ-1-0001/A/GA drawing.pdf");
        assertTrue(stored.size() == content.length);
        id("download-A").click();
        Path downloaded = Chrome.downloads(root).resolve("GA drawing.pdf");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> Files.exists(downloaded)
                && !Files.exists(Chrome.downloads(root).resolve("GA drawing.pdf.crdownload")));
        assertArrayEquals(content, Files.readAllBytes(downloaded));
        String documentPage = browser.getCurrentUrl();

        // 9. The card says where the files go; Edit moves new revisions to another library, flat, under another root.
        browser.get(host.url("/settings/storage").toString());
        By spCard = By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'SharePoint Online')]]");
        for (String fact : new String[]{"Signed in as", "megan@" + DemoSeed.TENANT_DOMAIN, "Project Document Control",
                "Documents", "By project: /Project/Document number/Revision/file", "Docbridge"}) {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(spCard, fact));
        }
        Chrome.screenshot(browser, "storage-card");
        el(By.xpath("//section[contains(@class,'provider')][.//h2[contains(.,'SharePoint Online')]]"
                + "//a[contains(@class,'edit')]")).click();
        id("change-library").click();
        el(By.linkText("Project Document Control")).click();
        el(By.linkText("Drawings")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chosen-library"), "Drawings"));
        new org.openqa.selenium.support.ui.Select(id("f-layout")).selectByValue("FLAT");
        id("f-root").clear();
        id("f-root").sendKeys("Revisions");
        id("save-provider").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("flash-success"), "was saved"));
        for (String fact : new String[]{"Drawings", "Flat: all files in one folder", "Revisions"}) {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(spCard, fact));
        }
        assertTrue(browser.findElements(By.xpath("//section[contains(@class,'provider')]")).size() == 2,
                "Edit added a provider instead of changing this one");

        // A new revision goes to Drawings; revision A still downloads from Documents.
        browser.get(documentPage);
        byte[] second = new byte[5_000];
        new Random(9).nextBytes(second);
        id("f-code").clear();
        id("f-code").sendKeys("B");
        id("f-file").sendKeys(Files.write(root.resolve("GA drawing B.pdf"), second).toString());
        id("upload-revision").click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("download-B")));
        var drawings = emulator.drives().drives().stream().filter(d -> d.name().equals("Drawings")).findFirst()
                .orElseThrow();
        var flat = emulator.drives().children(drawings.id(), emulator.drives().itemByPath(drawings.id(), "root",
                "Revisions").id());
        assertEquals(1, flat.size(), flat.toString());
        assertEquals(second.length, flat.get(0).size());
        Files.delete(downloaded);
        id("download-A").click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> Files.exists(downloaded)
                && !Files.exists(Chrome.downloads(root).resolve("GA drawing.pdf.crdownload")));
        assertArrayEquals(content, Files.readAllBytes(downloaded));
    }
}
