package io.docbridge.example;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.Health;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.PluginException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Stores each file as {@code <folder>/<path>.gz}; the key is that relative path. A file is written to a temporary
 * name and moved into place, so a failure leaves nothing at the path, and an existing file is never replaced.
 */
final class CompressedFolderStorage implements StorageProvider {
    private final Path root;
    private final Clock clock;

    CompressedFolderStorage(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
    }

    @Override
    public StoredObject put(ObjectPath path, InputStream content, long size, Map<String, String> metadata) {
        String key = String.join("/", path.segments()) + ".gz";
        Path target = inside(key);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), ".upload-", ".part");
            long written;
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temp))) {
                written = content.transferTo(out); // streams: a buffer at a time, never the whole file
            }
            if (size != UNKNOWN_SIZE && written != size) {
                throw new PluginException(ErrorKind.INVALID_INPUT, "Expected " + size + " bytes, got " + written);
            }
            Files.move(temp, target); // without REPLACE_EXISTING: a file already there is a conflict
            temp = null;
            return new StoredObject(key, written, target.toString());
        } catch (FileAlreadyExistsException e) {
            throw new PluginException(ErrorKind.CONFLICT, path + " is already stored", e);
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                temp.toFile().delete();
            }
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return new GZIPInputStream(Files.newInputStream(inside(key)));
        } catch (NoSuchFileException e) {
            throw new PluginException(ErrorKind.NOT_FOUND, "Nothing is stored under " + key, e);
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not read " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(inside(key));
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not delete " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> keyAt(ObjectPath path) {
        String key = String.join("/", path.segments()) + ".gz";
        return Files.isRegularFile(inside(key)) ? Optional.of(key) : Optional.empty();
    }

    @Override
    public Health verify() {
        byte[] probe = ("Docbridge probe " + clock.instant()).getBytes();
        try {
            StoredObject stored = put(ObjectPath.of(".docbridge-probe", "probe-" + System.nanoTime()),
                    new ByteArrayInputStream(probe), probe.length, Map.of());
            try (InputStream in = open(stored.key())) {
                if (!Arrays.equals(probe, in.readAllBytes())) {
                    return Health.failed("The probe file read back differently", clock.instant());
                }
            } finally {
                delete(stored.key());
            }
            return Health.verified("Wrote, read back and deleted a probe file in " + root, clock.instant());
        } catch (PluginException e) {
            return Health.of(e, clock.instant());
        } catch (IOException e) {
            return Health.failed("Could not read the probe file back: " + e.getMessage(), clock.instant());
        }
    }

    /** The file for a key, refusing any key that would leave the folder. */
    private Path inside(String key) {
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new PluginException(ErrorKind.NOT_FOUND, "No such key: " + key);
        }
        return file;
    }
}
