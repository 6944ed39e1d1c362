package io.docbridge.host;

import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.testing.Chrome;
import io.docbridge.host.testing.MyFilesInBrowser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everyday work in a folder of My Files, in headless Chromium: two files dropped on the page upload with a progress
 * bar each; the list sorts and filters; a row's menu renames and deletes (after asking); several selected items are
 * deleted at once (after asking). Microsoft 365's side is read from the emulator's store.
 */
class FileListBrowserTest extends MyFilesInBrowser {
    private List<String> names() {
        return browser.findElements(By.cssSelector("#items tbody tr[data-name]")).stream()
                .map(r -> r.getAttribute("data-name")).toList();
    }

    private DriveStore.Item inOneDrive(String name) {
        return emulator.drives().itemByPath(oneDrive.id(), "root", name);
    }

    private boolean inOneDriveAtAll(String name) {
        return emulator.drives().children(oneDrive.id(), emulator.drives().rootId(oneDrive.id())).stream()
                .anyMatch(i -> i.name().equals(name));
    }

    private void sortedBy(String column, String direction) {
        person.wait.until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("th[aria-sort=" + direction + "] #sort-" + column)));
    }

    /** Drops files on the folder's card as a person dragging them from their desktop would. */
    private void drop(Path... files) {
        WebElement picker = (WebElement) browser.executeScript("""
                var input = document.createElement('input');
                input.type = 'file'; input.multiple = true; input.id = 'test-drag-source';
                document.body.append(input);
                return input;""");
        picker.sendKeys(String.join("\n", java.util.Arrays.stream(files).map(Path::toString).toList()));
        browser.executeScript("""
                var transfer = new DataTransfer();
                Array.from(document.getElementById('test-drag-source').files).forEach(f => transfer.items.add(f));
                var zone = document.getElementById('folder-card');
                zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: transfer, bubbles: true, cancelable: true}));
                zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));""");
    }

    @Test
    void twoDroppedFilesUploadWithAProgressBarEach() throws Exception {
        byte[] plan = new byte[5 * 1024 * 1024];
        new Random(1).nextBytes(plan);
        byte[] notes = "notes of the site visit".getBytes(StandardCharsets.UTF_8);
        Path planFile = Files.write(root.resolve("Site plan.bin"), plan);
        Path notesFile = Files.write(root.resolve("Visit notes.txt"), notes);
        emulator.faults().latency(Duration.ofMillis(300)); // long enough to see each bar

        drop(planFile, notesFile);

        person.wait.until(d -> d.findElements(By.cssSelector("#uploads li progress")).size() == 2);
        List<String> labels = browser.findElements(By.cssSelector("#uploads li .upload-name")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("Site plan.bin", "Visit notes.txt"), labels);
        person.until(By.cssSelector("#uploads li .meta"), "Sent");
        Chrome.screenshot(browser, "my-files-uploads"); // docs/my-files.png in the README
        person.until(By.tagName("main"), "\"Visit notes.txt\" uploaded.");
        emulator.faults().latency(Duration.ZERO);
        person.row("Site plan.bin");
        person.row("Visit notes.txt");
        assertEquals(plan.length, inOneDrive("Site plan.bin").size());
        assertArrayEquals(notes, Files.readAllBytes(inOneDrive("Visit notes.txt").content()));
    }

    @Test
    void theListSortsByEachColumnAndFiltersByName() throws Exception {
        String rootId = emulator.drives().rootId(oneDrive.id());
        for (String[] file : new String[][]{{"b-middle.txt", "12345"}, {"a-small.txt", "1"},
                {"c-large.txt", "1234567890"}}) {
            emulator.drives().commitFile(oneDrive.id(), rootId, file[0], emulator.drives().stage(
                    new ByteArrayInputStream(file[1].getBytes(StandardCharsets.UTF_8))), "fail", DriveStore.Actor.SYSTEM);
            Thread.sleep(1100); // distinct modification times (Graph gives them to the second)
        }
        person.id("sync-now").click();
        person.row("c-large.txt");

        // Folders first, then by name: the default.
        assertEquals(List.of("Personal", "Work", "a-small.txt", "b-middle.txt", "c-large.txt", "Welcome.txt"), names());
        person.id("sort-size").click();
        sortedBy("size", "ascending");
        assertEquals(List.of("a-small.txt", "b-middle.txt", "c-large.txt", "Welcome.txt"), names().subList(2, 6));
        person.id("sort-size").click();
        sortedBy("size", "descending");
        assertEquals(List.of("Welcome.txt", "c-large.txt", "b-middle.txt", "a-small.txt"), names().subList(2, 6));
        person.id("sort-modified").click();
        sortedBy("modified", "ascending");
        assertEquals(List.of("Welcome.txt", "b-middle.txt", "a-small.txt", "c-large.txt"), names().subList(2, 6));

        person.id("f-filter").sendKeys("MIDDLE");
        person.id("filter").click();
        person.wait.until(d -> names().equals(List.of("b-middle.txt")));
        person.id("clear-filter").click();
        person.wait.until(d -> names().size() == 6);
    }

    @Test
    void aRowsMenuRenamesAndDeletesAfterAsking() throws Exception {
        person.row("Welcome.txt").findElement(By.cssSelector("details.row-menu > summary")).click();
        WebElement name = person.row("Welcome.txt").findElement(By.cssSelector("form.rename input[name=name]"));
        assertTrue(person.row("Welcome.txt").findElement(By.cssSelector("a.download")).isDisplayed());
        Chrome.screenshot(browser, "my-files-row-menu");
        name.clear();
        name.sendKeys("Read me.txt");
        person.row("Welcome.txt").findElement(By.cssSelector("form.rename button")).click();
        person.until(By.tagName("main"), "Renamed to \"Read me.txt\".");

        person.row("Read me.txt").findElement(By.cssSelector("details.row-menu > summary")).click();
        person.row("Read me.txt").findElement(By.cssSelector("a.delete")).click();
        person.until(By.tagName("h1"), "Delete \"Read me.txt\"?");
        assertTrue(inOneDriveAtAll("Read me.txt"), "deleted before the person confirmed");
        person.el(By.linkText("Cancel")).click();
        person.row("Read me.txt").findElement(By.cssSelector("details.row-menu > summary")).click();
        person.row("Read me.txt").findElement(By.cssSelector("a.delete")).click();
        person.id("confirm").click();
        person.until(By.tagName("main"), "\"Read me.txt\" was deleted");
        assertFalse(inOneDriveAtAll("Read me.txt"));
    }

    @Test
    void severalSelectedItemsAreDeletedTogetherAfterAsking() throws Exception {
        for (String box : new String[]{"Welcome.txt", "Personal"}) {
            person.row(box).findElement(By.cssSelector("input[name=item]")).click();
        }
        person.until(By.id("selected-count"), "2 selected");
        person.id("delete-selected").click();
        person.until(By.tagName("h1"), "Delete 2 item(s)?");
        String listed = person.text(By.id("selected-items"));
        assertTrue(listed.contains("Welcome.txt") && listed.contains("Personal"), listed);
        assertTrue(inOneDriveAtAll("Welcome.txt") && inOneDriveAtAll("Personal"), "deleted before the person confirmed");
        person.id("confirm").click();
        person.until(By.tagName("main"), "2 item(s) deleted");
        assertEquals(List.of("Work"), names());
        assertFalse(inOneDriveAtAll("Welcome.txt") || inOneDriveAtAll("Personal"));
        assertTrue(inOneDriveAtAll("Work"));
    }

    @Test
    void whileASyncRunsSyncNowIsDisabledAndABarMoves() {
        emulator.faults().latency(Duration.ofMillis(1500)); // a slow Microsoft keeps the sync running a while
        person.id("sync-now").click();

        person.wait.until(d -> !d.findElements(By.cssSelector("#sync-now[disabled]")).isEmpty()
                && !d.findElements(By.id("sync-progress")).isEmpty());
        assertTrue(person.text(By.id("sync-status")).startsWith("Syncing"), person.text(By.id("sync-status")));
        emulator.faults().latency(Duration.ZERO);
        person.wait.until(d -> d.findElements(By.id("sync-progress")).isEmpty()
                && d.findElement(By.id("sync-now")).isEnabled());
        person.until(By.id("sync-status"), "Last sync");
    }
}
