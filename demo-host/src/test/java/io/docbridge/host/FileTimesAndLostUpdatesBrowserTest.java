package io.docbridge.host;

import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.testing.MyFilesInBrowser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file keeps its own modified time through a browser upload, and a new version never silently overwrites a change
 * someone made in OneDrive since the page was opened: the host sends If-Match with the version it showed, and a 412
 * becomes a choice (keep both, replace theirs, cancel). Headless Chromium → host → plugin → Graph SDK → emulator.
 */
class FileTimesAndLostUpdatesBrowserTest extends MyFilesInBrowser {
    static final Instant ON_THE_LAPTOP = Instant.parse("2021-08-09T10:11:12Z");

    private DriveStore.Item inOneDrive(String name) {
        return emulator.drives().itemByPath(oneDrive.id(), "root", name);
    }

    private String contentOf(String name) throws Exception {
        return Files.readString(inOneDrive(name).content());
    }

    private Path fileOnTheLaptop(String name, String text) throws Exception {
        Path file = Files.writeString(root.resolve(name), text);
        Files.setLastModifiedTime(file, FileTime.from(ON_THE_LAPTOP));
        return file;
    }

    /** Someone changes the file in OneDrive behind the page's back. */
    private void changedInOneDrive(String name, String text) {
        emulator.drives().replaceContent(oneDrive.id(), inOneDrive(name).id(), emulator.drives().stage(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))), DriveStore.Actor.SYSTEM, null, null);
    }

    private void seeded(String name, String text) {
        emulator.drives().commitFile(oneDrive.id(), emulator.drives().rootId(oneDrive.id()), name,
                emulator.drives().stage(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))), "fail",
                DriveStore.Actor.SYSTEM);
        person.id("sync-now").click();
        person.row(name);
    }

    /** Chooses a file in the row's "Upload new version" form, without sending it yet. */
    private WebElement newVersionForm(String name, Path file) {
        person.row(name).findElement(By.cssSelector("details.row-menu > summary")).click();
        WebElement form = person.row(name).findElement(By.cssSelector("form.replace"));
        form.findElement(By.cssSelector("input[type=file]")).sendKeys(file.toString());
        return form;
    }

    /**
     * Chooses {@code mine} as Budget.txt's new version, lets someone change Budget.txt to {@code theirs} before it is
     * sent, sends it, and waits for the page that says so.
     */
    private void newVersionAfterSomeoneElses(Path mine, String theirs) {
        WebElement form = newVersionForm("Budget.txt", mine);
        changedInOneDrive("Budget.txt", theirs);
        form.submit();
        person.until(By.id("changed-since-read"), "\"Budget.txt\" changed in OneDrive since you opened it");
    }

    @Test
    void anUploadedFileKeepsTheModifiedTimeItHadOnTheLaptop() throws Exception {
        Path report = fileOnTheLaptop("Site report.txt", "measured on site");

        person.id("f-file").sendKeys(report.toString());
        person.id("upload").click();

        person.until(By.tagName("main"), "\"Site report.txt\" uploaded.");
        assertEquals(ON_THE_LAPTOP, inOneDrive("Site report.txt").fileModified());
        assertTrue(inOneDrive("Site report.txt").modified().isAfter(ON_THE_LAPTOP), "the service's own time stays");
        assertTrue(person.row("Site report.txt").getText().contains("2021-08-09"), person.row("Site report.txt")
                .getText());
    }

    @Test
    void aNewVersionOfAnUnchangedFileReplacesItInPlace() throws Exception {
        seeded("Budget.txt", "v1");
        String id = inOneDrive("Budget.txt").id();

        newVersionForm("Budget.txt", fileOnTheLaptop("Budget.txt", "v2 from the laptop")).submit();

        person.until(By.tagName("main"), "New version of \"Budget.txt\" uploaded.");
        assertEquals(id, inOneDrive("Budget.txt").id());
        assertEquals("v2 from the laptop", contentOf("Budget.txt"));
        assertEquals(ON_THE_LAPTOP, inOneDrive("Budget.txt").fileModified());
    }

    @Test
    void aNewVersionOverAChangeMadeSinceIsRefusedAndThePersonKeepsBoth() throws Exception {
        seeded("Budget.txt", "v1");
        Path mine = fileOnTheLaptop("Budget.txt", "mine");

        newVersionAfterSomeoneElses(mine, "theirs, written meanwhile");

        assertTrue(person.text(By.id("changed-since-read")).contains("Nothing was overwritten"));
        assertTrue(person.text(By.id("current-version")).contains("SharePoint App"), "who changed it is shown");
        assertEquals("theirs, written meanwhile", contentOf("Budget.txt"));

        person.id("cancel").click();
        person.row("Budget.txt");
        assertEquals("theirs, written meanwhile", contentOf("Budget.txt"), "Cancel writes nothing");

        newVersionAfterSomeoneElses(mine, "theirs, changed again");
        person.id("file-again").sendKeys(mine.toString());
        person.id("keep-both").click();

        person.until(By.tagName("main"), "Both kept: yours is \"Budget 1.txt\".");
        assertEquals("theirs, changed again", contentOf("Budget.txt"));
        assertEquals("mine", contentOf("Budget 1.txt"));
        assertEquals(ON_THE_LAPTOP, inOneDrive("Budget 1.txt").fileModified());
    }

    @Test
    void afterSeeingTheNewerVersionThePersonMayReplaceIt() throws Exception {
        seeded("Budget.txt", "v1");
        Path mine = fileOnTheLaptop("Budget.txt", "mine wins");
        newVersionAfterSomeoneElses(mine, "theirs");

        person.id("file-again").sendKeys(mine.toString());
        person.id("replace-anyway").click();

        person.until(By.tagName("main"), "New version of \"Budget.txt\" uploaded.");
        assertEquals("mine wins", contentOf("Budget.txt"));
        assertFalse(emulator.drives().children(oneDrive.id(), emulator.drives().rootId(oneDrive.id())).stream()
                .anyMatch(i -> i.name().equals("Budget 1.txt")));
    }
}
