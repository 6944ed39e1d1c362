package io.docbridge.host.storage;

import io.docbridge.api.ObjectPath;
import io.docbridge.api.StorageProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A revision stored on the local disk keeps the modified time the file had on the uploader's computer. */
class LocalDiskFileTimesTest {
    @TempDir
    Path root;

    @Test
    void theStoredFileHasTheModifiedTimeTheHostPassed() throws Exception {
        LocalDiskStorage storage = new LocalDiskStorage(root, Clock.systemUTC());
        Instant drawn = Instant.parse("2021-08-09T10:11:12Z");

        String key = storage.put(ObjectPath.of("PRJ-1", "A", "plan.pdf"), new ByteArrayInputStream(new byte[]{1}), 1,
                Map.of(StorageProvider.MODIFIED, drawn.toString())).key();
        String other = storage.put(ObjectPath.of("PRJ-1", "B", "plan.pdf"), new ByteArrayInputStream(new byte[]{1}), 1,
                Map.of()).key();

        assertEquals(drawn, Files.getLastModifiedTime(root.resolve(key)).toInstant());
        assertEquals(true, Files.getLastModifiedTime(root.resolve(other)).toInstant().isAfter(drawn),
                "without one, the time of the upload");
    }
}
