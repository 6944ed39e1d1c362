package io.docbridge.host;

import io.docbridge.host.testing.Chrome;
import io.docbridge.host.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person's walk through the pages in headless Chromium (Debian's chromium and chromium-driver): sign in, create a
 * project, create a document with a file, download the same bytes back. Screenshots land in target/screenshots.
 */
class BrowserTest {
    @TempDir
    Path root;
    TestHost host;
    org.openqa.selenium.chrome.ChromeDriver browser;
    WebDriverWait wait;
    Path downloads;

    @BeforeEach
    void start() throws Exception {
        browser = Chrome.start(root, false);
        host = TestHost.start(root);
        downloads = Chrome.downloads(root);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
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

    private void open(String path) {
        browser.get(host.url(path).toString());
    }

    private WebElement field(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private void screenshot(String name) throws Exception {
        Chrome.screenshot(browser, name);
    }

    @Test
    void signInCreateADocumentWithAFileAndDownloadTheSameBytes() throws Exception {
        byte[] content = new byte[150_000];
        new Random(42).nextBytes(content);
        Path upload = Files.write(root.resolve("Site plan rev A.pdf"), content);

        open("/documents");
        field("f-username").sendKeys("admin");
        field("f-password").sendKeys(TestHost.ADMIN_PASSWORD);
        field("sign-in").click();

        field("f-code").sendKeys("PRJ-7");
        field("f-name").sendKeys("Riverside offices");
        field("create-project").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("flash"), "Project PRJ-7 created."));

        field("new-document").click();
        field("f-title").sendKeys("Site plan");
        new Select(field("f-type")).selectByVisibleText("Drawing");
        new Select(field("f-status")).selectByVisibleText("For Review");
        field("f-file").sendKeys(upload.toString());
        screenshot("new-document");
        field("create-document").click();

        assertEquals("PRJ-7-0001", field("doc-number").getText());
        screenshot("document");
        field("download-A").click();

        Path downloaded = downloads.resolve("Site plan rev A.pdf");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> Files.exists(downloaded)
                && !Files.exists(downloads.resolve("Site plan rev A.pdf.crdownload")));
        assertArrayEquals(content, Files.readAllBytes(downloaded));

        open("/settings/storage");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("verify"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("provider-head"), "Verified"));
        screenshot("storage");
    }
}
