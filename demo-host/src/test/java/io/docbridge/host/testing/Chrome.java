package io.docbridge.host.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Headless Chromium from Debian's packages (a test tool's own browser download fails on these machines). Skipped
 * on a developer machine without it; required in CI.
 */
public final class Chrome {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Chrome() {
    }

    /**
     * A fresh browser with its profile and downloads in {@code dir}.
     *
     * @param acceptEmulatorCertificate for pages of the in-process M365 emulator, whose CA the browser does not know
     */
    public static ChromeDriver start(Path dir, boolean acceptEmulatorCertificate) throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "Chromium is not installed: apt-get install chromium chromium-driver");
        }
        assertTrue(installed, "CI must install chromium and chromium-driver (see .ci/run)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,900", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")));
        if (acceptEmulatorCertificate) {
            options.addArguments("--ignore-certificate-errors");
        }
        options.setExperimentalOption("prefs", Map.of("download.default_directory",
                Files.createDirectories(dir.resolve("downloads")).toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Where {@link #start} puts downloads. */
    public static Path downloads(Path dir) {
        return dir.resolve("downloads");
    }

    /** Saves a screenshot under target/screenshots. */
    public static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(), shots.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
