package io.docbridge.tck;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.Health;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.PluginException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simplest storage provider that passes the TCK: files in a map. For host tests that need a provider and
 * for proving the TCK itself; holds whole files in memory, so never for real use.
 */
public class InMemoryStorageProvider implements StorageProvider {

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryStorageProvider(Clock clock) {
        this.clock = clock;
    }

    public InMemoryStorageProvider() {
        this(Clock.systemUTC());
    }

    @Override
    public StoredObject put(ObjectPath path, InputStream content, long size, Map<String, String> metadata) {
        String key = path.toString();
        byte[] bytes = readExactly(content, size);
        if (files.putIfAbsent(key, bytes) != null) {
            throw new PluginException(ErrorKind.CONFLICT, "A file already exists at " + key);
        }
        return new StoredObject(key, bytes.length, key);
    }

    /** Reads the stream to its end and checks it against the declared size. */
    protected byte[] readExactly(InputStream content, long size) {
        try {
            byte[] bytes = content.readAllBytes();
            if (size != UNKNOWN_SIZE && bytes.length != size) {
                throw new PluginException(ErrorKind.INVALID_INPUT,
                        "Expected " + size + " bytes but the upload had " + bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<String> keyAt(ObjectPath path) {
        return files.containsKey(path.toString()) ? Optional.of(path.toString()) : Optional.empty();
    }

    @Override
    public InputStream open(String key) {
        byte[] bytes = files.get(key);
        if (bytes == null) {
            throw new PluginException(ErrorKind.NOT_FOUND, "No file is stored at " + key);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void delete(String key) {
        files.remove(key);
    }

    @Override
    public Health verify() {
        byte[] probe = ("probe " + clock.instant()).getBytes();
        StoredObject stored = put(ObjectPath.of(".docbridge-probe-" + System.nanoTime()),
                new ByteArrayInputStream(probe), probe.length, Map.of());
        try (InputStream in = open(stored.key())) {
            boolean same = Arrays.equals(probe, in.readAllBytes());
            return same ? Health.verified("Wrote, read back and deleted a test file", clock.instant())
                    : Health.failed("A test file read back different bytes", clock.instant());
        } catch (IOException e) {
            return Health.failed("Could not read back a test file: " + e.getMessage(), clock.instant());
        } finally {
            delete(stored.key());
        }
    }

    /** How many files are stored. */
    public int size() {
        return files.size();
    }
}
