package io.docbridge.tck;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.PluginException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Base of the drive suites: each test works in a folder of its own below the drive's root, which is deleted
 * afterwards, so tests may share a drive.
 */
public abstract class AbstractDriveContractTest {

    protected DriveContract contract;
    protected ExternalDrive drive;
    /** This test's own folder. */
    protected DriveItem folder;

    protected abstract DriveContract contract(Path scratch) throws Exception;

    @BeforeEach
    void openContract(@TempDir Path scratch, TestInfo test) throws Exception {
        contract = contract(scratch);
        drive = contract.drive();
        String method = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
        folder = drive.createFolder(drive.root().id(), "tck-" + method + "-" + UUID.randomUUID().toString()
                .substring(0, 8), ConflictBehavior.FAIL);
    }

    @AfterEach
    void closeContract() {
        try {
            drive.delete(folder.id());
        } catch (PluginException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        } finally {
            drive.close();
        }
    }

    protected DriveItem upload(DriveItem parent, String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return drive.upload(parent.id(), name, new ByteArrayInputStream(bytes), bytes.length, ConflictBehavior.FAIL, null);
    }

    protected String download(String itemId) {
        try (InputStream in = drive.download(itemId)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the feed from a cursor until it is caught up; returns each item's last entry and the final cursor. */
    protected FeedRead readFeed(String cursor) {
        Map<String, DriveChange> last = new LinkedHashMap<>();
        List<DriveChange> all = new ArrayList<>();
        ChangePage page;
        int pages = 0;
        do {
            page = drive.changes(cursor);
            cursor = page.cursor();
            for (DriveChange change : page.changes()) {
                last.put(change.itemId(), change);
                all.add(change);
            }
            if (++pages > 10_000) {
                throw new AssertionError("the change feed never caught up");
            }
        } while (page.hasMore());
        return new FeedRead(last, all, cursor);
    }

    /** What a complete read of the feed gave. */
    protected record FeedRead(Map<String, DriveChange> latest, List<DriveChange> all, String cursor) {
    }

    protected static PluginException assertFailsWith(ErrorKind kind, Executable call) {
        PluginException e = assertThrows(PluginException.class, call);
        assertEquals(kind, e.kind(), () -> "wrong kind; message: " + e.getMessage());
        return e;
    }
}
