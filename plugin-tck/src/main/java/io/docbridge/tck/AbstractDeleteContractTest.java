package io.docbridge.tck;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link StorageProvider#delete}: gone afterwards, nothing else touched, idempotent. */
public abstract class AbstractDeleteContractTest extends AbstractStorageContractTest {

    @Test
    void deleteRemovesTheFile() {
        StoredObject stored = put(path("doomed.txt"), utf8("bye"));

        provider.delete(stored.key());

        assertFailsWith(ErrorKind.NOT_FOUND, () -> provider.open(stored.key()));
    }

    @Test
    void deleteOfAMissingKeyIsNotAnError() {
        StoredObject stored = put(path("once.txt"), utf8("x"));
        provider.delete(stored.key());

        assertDoesNotThrow(() -> provider.delete(stored.key()));
    }

    @Test
    void deleteLeavesOtherFilesInTheSameFolderAlone() {
        StoredObject keep = put(path("DOC-1", "A", "keep.txt"), utf8("keep"));
        StoredObject drop = put(path("DOC-1", "A", "drop.txt"), utf8("drop"));

        provider.delete(drop.key());

        assertArrayEquals(utf8("keep"), read(keep.key()));
    }

    @Test
    void aPathCanBeReusedAfterDelete() {
        StoredObject first = put(path("again.txt"), utf8("one"));
        provider.delete(first.key());

        StoredObject second = put(path("again.txt"), utf8("two"));

        assertArrayEquals(utf8("two"), read(second.key()));
    }

    @Test
    void keyAtFindsNothingAfterDelete() {
        assumeTrue(contract.has(StorageContract.Capability.KEY_AT_PATH));
        ObjectPath path = path("gone.txt");
        StoredObject stored = put(path, utf8("soon gone"));

        provider.delete(stored.key());

        assertEquals(Optional.empty(), provider.keyAt(path));
    }
}
