package io.docbridge.host.testing;

import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.graph.DriveStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;

/**
 * Where the My Files browser tests start: a host with the OneDrive plugin, and headless Chromium signed in as its
 * administrator, who has added Adele's OneDrive.
 */
public abstract class MyFilesInBrowser {
    @TempDir
    protected Path root;
    protected TestHost host;
    protected ChromeDriver browser;
    protected BrowserSession person;
    protected M365Emulator emulator;
    /** Adele's OneDrive in the emulator. */
    protected DriveStore.Drive oneDrive;

    @BeforeEach
    void startWithOneDrive() throws Exception {
        browser = Chrome.start(root, true);
        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip");
        emulator = host.host().emulator().orElseThrow();
        person = new BrowserSession(browser, () -> host);
        person.signInAsAdministrator();
        person.addOneDrive("adele", "My OneDrive");
        oneDrive = emulator.drives().drives().stream().filter(d -> d.ownerId() != null
                && d.owner().email().startsWith("adele@")).findFirst().orElseThrow();
    }

    @AfterEach
    void stopBrowserAndHost() {
        if (browser != null) {
            browser.quit();
        }
        if (host != null) {
            host.close();
        }
    }
}
