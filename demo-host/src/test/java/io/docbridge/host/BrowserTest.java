package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A person's walk through the pages in headless Chromium (Debian's chromium and chromium-driver): sign in, create a
 * project, create a document with a file, download the same bytes back. Screenshots land in target/screenshots.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path root;
    TestHost host;
    WebDriver browser;
    WebDriverWait wait;
    Path downloads;

    @BeforeEach
    void start() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "Chromium is not installed: apt-get install chromium chromium-driver");
        }
        assertTrue(installed, "CI must install chromium and chromium-driver (see .ci/run)");
        host = TestHost.start(root);
        downloads = Files.createDirectories(root.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,900", "--user-data-dir=" + Files.createDirectories(root.resolve("profile")));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
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
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
