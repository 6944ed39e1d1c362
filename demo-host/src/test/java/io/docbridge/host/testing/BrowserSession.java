package io.docbridge.host.testing;

import io.docbridge.emulator.DemoSeed;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A person at headless Chromium in front of a test host: Docbridge's own sign-in, the emulated Microsoft pages, and
 * waits that look again when a page is being replaced. The host may change (a restart); the browser stays.
 */
public final class BrowserSession {
    public final ChromeDriver browser;
    public final WebDriverWait wait;
    private final Supplier<TestHost> host;

    public BrowserSession(ChromeDriver browser, Supplier<TestHost> host) {
        this.browser = browser;
        this.host = host;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // A page that is being replaced can answer "node does not belong to the document" for an element found a
        // moment before: that is a reason to look again, not a failure.
        wait.ignoring(WebDriverException.class);
    }

    public void open(String path) {
        browser.get(host.get().url(path).toString());
    }

    public WebElement id(String id) {
        return wait.until(ExpectedConditions.elementToBeClickable(By.id(id)));
    }

    public WebElement el(By by) {
        return wait.until(ExpectedConditions.elementToBeClickable(by));
    }

    public void until(By where, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(where, text));
    }

    public String text(By where) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(where)).getText();
    }

    /** Docbridge's own sign-in page. */
    public void signIn(String username, String password) {
        open("/login");
        id("f-username").sendKeys(username);
        id("f-password").sendKeys(password);
        id("sign-in").click();
        until(By.className("usermenu"), "Sign out");
    }

    public void signInAsAdministrator() {
        signIn("admin", TestHost.ADMIN_PASSWORD);
    }

    /** The emulated Microsoft pages: account and password, then consent if the app asks for more than was granted. */
    public void microsoftSignIn(String user) {
        id("i0116").sendKeys(user + "@" + DemoSeed.TENANT_DOMAIN);
        id("i0118").sendKeys(DemoSeed.PASSWORD);
        id("idSIButton9").click();
        String docbridge = host.get().url("/").toString();
        wait.until(d -> d.getCurrentUrl().startsWith(docbridge) || !d.findElements(By.id("permissions")).isEmpty());
        if (!browser.getCurrentUrl().startsWith(docbridge)) {
            id("idSIButton9").click();
            wait.until(d -> d.getCurrentUrl().startsWith(docbridge));
        }
    }

    /** My Files → Add → OneDrive, signed in as a demo account; returns when the first sync has shown the files. */
    public void addOneDrive(String user, String name) {
        id("nav-files").click();
        id("add-drive").click();
        id("type-onedrive").click();
        id("connect-microsoft").click();
        microsoftSignIn(user);
        until(By.id("connected-as"), user + "@" + DemoSeed.TENANT_DOMAIN);
        id("f-name").clear();
        id("f-name").sendKeys(name);
        id("save-provider").click();
        until(By.id("sync-status"), "Last sync");
    }

    /** The folder page's row for an item. */
    public WebElement row(String name) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//table[@id='items']//tr[td["
                + "normalize-space()='" + name + "' or a[contains(.,'" + name + "')]]]")));
    }
}
