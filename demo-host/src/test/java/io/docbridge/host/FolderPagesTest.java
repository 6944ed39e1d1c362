package io.docbridge.host;

import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.host.testing.OneDriveConnect;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large folder in My Files comes in pages of 200, ordered and filtered by the database: the order and the filter
 * hold across pages, and a filter's characters are taken literally.
 */
class FolderPagesTest {
    static final int FILES = 450;
    static final Pattern ROW = Pattern.compile("<tr data-name=\"([^\"]*)\"");

    @TempDir
    Path root;
    TestHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    static List<String> rows(String page) {
        Matcher m = ROW.matcher(page);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void aFolderOf450FilesComesInPagesInOneOrderAndFilters() throws Exception {
        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip");
        M365Emulator emulator = host.host().emulator().orElseThrow();
        WebClient admin = host.admin();
        String id = OneDriveConnect.add(admin, emulator, "adele").driveId();
        DriveStore store = emulator.drives();
        DriveStore.Drive drive = store.drives().stream().filter(d -> d.owner().email().startsWith("adele@"))
                .findFirst().orElseThrow();
        String big = store.createFolder(drive.id(), store.rootId(drive.id()), "Big", "fail", DriveStore.Actor.SYSTEM).id();
        store.createFolder(drive.id(), big, "Sub", "fail", DriveStore.Actor.SYSTEM);
        for (int i = 0; i < FILES; i++) { // file-000 has 1 byte, file-449 has 450
            store.commitFile(drive.id(), big, String.format("file-%03d.txt", i), store.stage(
                    new ByteArrayInputStream(new byte[i + 1])), "fail", DriveStore.Actor.SYSTEM);
        }
        store.commitFile(drive.id(), big, "100% done.txt", store.stage(new ByteArrayInputStream(new byte[0])), "fail",
                DriveStore.Actor.SYSTEM);
        admin.post("/files/" + id + "/sync", Map.of());
        String folder = "/files/" + id + "/folders/" + big;
        // The file made last: a sync that shows it read a drive that already held every other (a sync started by a
        // change notification while the files were being made may have shown some of them before).
        admin.afterSync(folder, "100% done.txt");

        String first = admin.get(folder).body();
        List<String> page1 = rows(first);
        assertEquals(200, page1.size());
        assertEquals("Sub", page1.get(0), "folders first");
        assertEquals("100% done.txt", page1.get(1));
        assertTrue(first.contains("Items 1–200"), first);
        assertTrue(first.contains("id=\"next-page\""));
        assertFalse(first.contains("id=\"previous-page\""));

        String third = admin.get(folder + "?sort=name&dir=asc&page=3").body();
        List<String> page3 = rows(third);
        assertEquals(FILES + 2 - 400, page3.size());
        assertEquals("file-449.txt", page3.get(page3.size() - 1));
        assertFalse(third.contains("id=\"next-page\""));

        List<String> bySize = rows(admin.get(folder + "?sort=size&dir=desc&page=1").body());
        assertEquals(List.of("Sub", "file-449.txt", "file-448.txt"), bySize.subList(0, 3));
        List<String> bySizeLast = rows(admin.get(folder + "?sort=size&dir=desc&page=3").body());
        assertEquals("100% done.txt", bySizeLast.get(bySizeLast.size() - 1), "the empty file last");

        assertEquals(List.of("file-010.txt", "file-011.txt", "file-012.txt", "file-013.txt", "file-014.txt",
                "file-015.txt", "file-016.txt", "file-017.txt", "file-018.txt", "file-019.txt"),
                rows(admin.get(folder + "?q=FILE-01").body()));
        assertEquals(List.of("100% done.txt"), rows(admin.get(folder + "?q=100%25").body()), "% taken literally");
    }
}
