package io.docbridge.tck;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link StorageProvider#open}: streams, independent readers, a clear error for what is not there. */
public abstract class AbstractOpenContractTest extends AbstractStorageContractTest {

    @Test
    void openOfAKeyNeverStoredThrowsNotFound() {
        StoredObject stored = put(path("exists.txt"), utf8("x"));
        provider.delete(stored.key());

        assertFailsWith(ErrorKind.NOT_FOUND, () -> provider.open(stored.key()));
    }

    @Test
    void twoOpenStreamsReadIndependently() throws Exception {
        StoredObject stored = put(path("twice.txt"), utf8("abcdef"));

        try (InputStream first = provider.open(stored.key()); InputStream second = provider.open(stored.key())) {
            assertEquals('a', first.read());
            assertEquals('b', first.read());
            assertArrayEquals(utf8("abcdef"), second.readAllBytes());
            assertArrayEquals(utf8("cdef"), first.readAllBytes());
        }
    }

    @Test
    void openStreamEndsAtTheEndOfTheFile() throws Exception {
        StoredObject stored = put(path("end.txt"), utf8("xyz"));

        try (InputStream in = provider.open(stored.key())) {
            in.readAllBytes();
            assertEquals(-1, in.read());
        }
    }
}
