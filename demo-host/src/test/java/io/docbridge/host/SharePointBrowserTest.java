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
        el(By.linkText("Documents")).click();
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
    }
}
