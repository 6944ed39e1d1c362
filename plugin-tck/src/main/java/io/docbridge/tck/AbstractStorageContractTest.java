package io.docbridge.tck;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.PluginException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Base of the storage suites: gives each test its own folder (so tests may share one provider and run in
 * parallel), removes what the test stored, and closes the provider.
 */
public abstract class AbstractStorageContractTest {

    protected StorageContract contract;
    protected StorageProvider provider;
    /** This test's own folder: every path a test uses starts here. */
    protected String folder;
    private final List<String> storedKeys = new ArrayList<>();

    /**
     * Creates the contract for one test.
     *
     * @param scratch an empty folder of this test's own, for providers that need local disk
     */
    protected abstract StorageContract contract(java.nio.file.Path scratch) throws Exception;

    @BeforeEach
    void openContract(@TempDir java.nio.file.Path scratch, TestInfo test) throws Exception {
        contract = contract(scratch);
        provider = contract.provider();
        String method = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
        folder = "tck-" + method + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeContract() {
        try {
            for (String key : storedKeys) {
                provider.delete(key);
            }
        } finally {
            provider.close();
        }
    }

    /** A path in this test's folder. */
    protected ObjectPath path(String... segments) {
        return new ObjectPath(List.of(segments)).under(folder);
    }

    /** Stores bytes at a path in this test's folder, with their size declared, and cleans them up afterwards. */
    protected StoredObject put(ObjectPath path, byte[] bytes) {
        return remember(provider.put(path, new ByteArrayInputStream(bytes), bytes.length, Map.of()));
    }

    protected StoredObject remember(StoredObject stored) {
        storedKeys.add(stored.key());
        return stored;
    }

    protected byte[] read(String key) {
        try (InputStream in = provider.open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts that the call throws a {@link PluginException} of exactly this kind, and returns it. */
    protected static PluginException assertFailsWith(ErrorKind kind, Executable call) {
        PluginException e = assertThrows(PluginException.class, call);
        assertEquals(kind, e.kind(), () -> "wrong kind; message: " + e.getMessage());
        return e;
    }
}
