package io.docbridge.tck;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
import io.docbridge.tck.StorageContract.Capability;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link StorageProvider#put}: what goes in comes out, whole or not at all. */
public abstract class AbstractPutContractTest extends AbstractStorageContractTest {

    @Test
    void putThenOpenReturnsTheSameBytes() {
        byte[] content = utf8("revision A of the general arrangement drawing");
        StoredObject stored = put(path("PRJ-1", "DOC-1", "A", "drawing.txt"), content);

        assertEquals(content.length, stored.size());
        assertArrayEquals(content, read(stored.key()));
    }

    @Test
    void keyAtFindsTheKeyPutReturnedAndNothingWhereNothingIsStored() {
        assumeTrue(contract.has(Capability.KEY_AT_PATH));
        ObjectPath path = path("PRJ-1", "DOC-2", "A", "found.txt");
        StoredObject stored = put(path, utf8("stored, then the host stopped before recording it"));

        assertEquals(java.util.Optional.of(stored.key()), provider.keyAt(path));
        assertEquals(java.util.Optional.empty(), provider.keyAt(path("PRJ-1", "DOC-2", "A", "absent.txt")));
    }

    @Test
    void putOfAnEmptyFileStoresAnEmptyFile() {
        StoredObject stored = put(path("empty.txt"), new byte[0]);

        assertEquals(0, stored.size());
        assertArrayEquals(new byte[0], read(stored.key()));
    }

    @Test
    void putOfAMultiMegabyteStreamStoresEveryByte() throws Exception {
        long size = 3L * 1024 * 1024 + 17;
        assumeTrue(contract.sizeLimit() < 0 || contract.sizeLimit() >= size, "size limit below the test file");

        StoredObject stored = remember(provider.put(path("big.bin"), Bytes.stream(7, size), size, Map.of()));

        assertEquals(size, stored.size());
        assertEquals(Bytes.sha256(Bytes.stream(7, size)), Bytes.sha256(provider.open(stored.key())));
    }

    @Test
    void putWithUnknownSizeStoresEveryByte() {
        assumeTrue(contract.has(Capability.UNKNOWN_SIZE));
        byte[] content = utf8("size not known in advance");

        StoredObject stored = remember(provider.put(path("unknown.txt"), new ByteArrayInputStream(content),
                StorageProvider.UNKNOWN_SIZE, Map.of()));

        assertEquals(content.length, stored.size());
        assertArrayEquals(content, read(stored.key()));
    }

    @Test
    void putWithUnknownSizeIsRefusedWhenNotSupported() {
        assumeFalse(contract.has(Capability.UNKNOWN_SIZE));

        assertFailsWith(ErrorKind.INVALID_INPUT, () -> provider.put(path("unknown.txt"),
                new ByteArrayInputStream(utf8("x")), StorageProvider.UNKNOWN_SIZE, Map.of()));
    }

    @Test
    void putAtAnOccupiedPathThrowsConflictAndKeepsTheFirstFile() {
        ObjectPath path = path("DOC-1", "A", "plan.pdf");
        StoredObject first = put(path, utf8("first"));

        assertFailsWith(ErrorKind.CONFLICT, () -> put(path, utf8("second")));

        assertArrayEquals(utf8("first"), read(first.key()));
    }

    @Test
    void putOfContentShorterThanDeclaredThrowsInvalidInputAndStoresNothing() {
        ObjectPath path = path("short.txt");

        assertFailsWith(ErrorKind.INVALID_INPUT,
                () -> remember(provider.put(path, new ByteArrayInputStream(utf8("abc")), 10, Map.of())));

        // Nothing was left at the path: the same path takes a correct file afterwards.
        StoredObject stored = put(path, utf8("abc"));
        assertArrayEquals(utf8("abc"), read(stored.key()));
    }

    @Test
    void putOfContentLongerThanDeclaredThrowsInvalidInputAndStoresNothing() {
        ObjectPath path = path("long.txt");

        assertFailsWith(ErrorKind.INVALID_INPUT,
                () -> remember(provider.put(path, new ByteArrayInputStream(utf8("abcdef")), 3, Map.of())));

        StoredObject stored = put(path, utf8("abc"));
        assertArrayEquals(utf8("abc"), read(stored.key()));
    }

    @Test
    void putOverTheSizeLimitThrowsTooLargeAndStoresNothing() {
        long limit = contract.sizeLimit();
        assumeTrue(limit >= 0, "no size limit declared");
        ObjectPath path = path("over.bin");

        assertFailsWith(ErrorKind.TOO_LARGE,
                () -> remember(provider.put(path, Bytes.stream(1, limit + 1), limit + 1, Map.of())));

        StoredObject stored = put(path, utf8("fits"));
        assertArrayEquals(utf8("fits"), read(stored.key()));
    }

    @Test
    void putKeepsNamesWithSpacesUnicodeAndPunctuationApart() {
        String[] names = {"Plan A.pdf", "Grundriß – Ebene 2.dwg", "50% #3 & more.txt", "日本語.txt", "a'b\"c.txt",
                "x:y*z?.txt"};
        StoredObject[] stored = new StoredObject[names.length];
        for (int i = 0; i < names.length; i++) {
            stored[i] = put(path("names", names[i]), utf8("content " + i));
        }
        for (int i = 0; i < names.length; i++) {
            assertArrayEquals(utf8("content " + i), read(stored[i].key()), names[i]);
        }
    }

    @Test
    void namesThatDifferOnlyInCaseAreKeptApartWhenTheProviderIsCaseSensitive() {
        assumeTrue(contract.has(Capability.CASE_SENSITIVE_NAMES));
        StoredObject upper = put(path("case", "Plan A.pdf"), utf8("upper"));
        StoredObject lower = put(path("case", "plan a.pdf"), utf8("lower"));

        assertArrayEquals(utf8("upper"), read(upper.key()));
        assertArrayEquals(utf8("lower"), read(lower.key()));
    }

    @Test
    void namesThatDifferOnlyInCaseConflictWhenTheProviderIsNotCaseSensitive() {
        assumeFalse(contract.has(Capability.CASE_SENSITIVE_NAMES));
        StoredObject upper = put(path("case", "Plan A.pdf"), utf8("upper"));

        assertFailsWith(ErrorKind.CONFLICT, () -> put(path("case", "plan a.pdf"), utf8("lower")));
        assertArrayEquals(utf8("upper"), read(upper.key()));
    }

    @Test
    void putGivesDifferentPathsDifferentKeys() {
        StoredObject a = put(path("A", "file.txt"), utf8("a"));
        StoredObject b = put(path("B", "file.txt"), utf8("b"));

        assertNotEquals(a.key(), b.key());
        assertArrayEquals(utf8("a"), read(a.key()));
        assertArrayEquals(utf8("b"), read(b.key()));
    }

    @Test
    void putDoesNotCloseTheCallersStream() {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream(utf8("mine to close"))) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        remember(provider.put(path("stream.txt"), in, 13, Map.of()));

        assertFalse(closed[0], "put closed the caller's stream");
    }

    @Test
    void concurrentPutsToDifferentPathsAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] futures = new Future<?>[8];
            StoredObject[] stored = new StoredObject[8];
            for (int i = 0; i < futures.length; i++) {
                int n = i;
                futures[i] = pool.submit((Callable<Void>) () -> {
                    stored[n] = put(path("parallel", "f" + n + ".txt"), utf8("file " + n));
                    return null;
                });
            }
            for (Future<?> f : futures) {
                f.get();
            }
            for (int i = 0; i < stored.length; i++) {
                assertArrayEquals(utf8("file " + i), read(stored[i].key()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
