package io.docbridge.host.storage;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.Health;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.PluginException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
import io.docbridge.host.PrivateFiles;

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
import java.util.UUID;

/**
 * Revision files in a folder on the host's disk. A file is written to a temporary name first and published by a
 * hard link, which the operating system refuses atomically if the name is taken: a reader never sees a partial
 * file and a stored revision is never overwritten. Keys are paths relative to the root, checked to stay inside it.
 */
public final class LocalDiskStorage implements StorageProvider {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LocalDiskStorage.class);
    private static final String TEMP_DIR = ".incoming";

    private final Path root;
    private final Clock clock;

    public LocalDiskStorage(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
    }

    @Override
    public StoredObject put(ObjectPath path, InputStream content, long size, Map<String, String> metadata) {
        String key = path.toString();
        Path target = resolve(key);
        Path temp = null;
        try {
            Path incoming = PrivateFiles.folder(root.resolve(TEMP_DIR));
            temp = incoming.resolve(UUID.randomUUID() + ".part");
            long written;
            try (OutputStream out = PrivateFiles.newFile(temp)) {
                written = content.transferTo(out);
            }
            if (size != UNKNOWN_SIZE && written != size) {
                throw new PluginException(ErrorKind.INVALID_INPUT,
                        "The upload was " + written + " bytes long, not the " + size + " bytes announced");
            }
            keepModifiedTime(temp, metadata);
            PrivateFiles.folder(target.getParent());
            publish(temp, target);
            return new StoredObject(key, written, key);
        } catch (FileAlreadyExistsException e) {
            throw new PluginException(ErrorKind.CONFLICT, "A file is already stored at " + key);
        } catch (IOException e) {
            // The person sees no server paths; the log has them.
            log.warn("Could not store {} under {}: {}", key, root, e.toString());
            throw new PluginException(ErrorKind.UNAVAILABLE, "The local disk storage could not write the file. "
                    + "Nothing was saved; ask an administrator to check the storage's folder and its free space.", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** The file's own modified time, where the host knows it, as the stored file's (before it is published). */
    private static void keepModifiedTime(Path file, Map<String, String> metadata) throws IOException {
        String modified = metadata.get(MODIFIED);
        if (modified == null) {
            return;
        }
        try {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.parse(modified)));
        } catch (java.time.format.DateTimeParseException ignored) {
            // a time that is not one keeps the time of the upload
        }
    }

    private static void publish(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (UnsupportedOperationException e) {
            Files.move(temp, target); // no hard links here: refuses an existing target too, if less atomically
        }
    }

    @Override
    public Optional<String> keyAt(ObjectPath path) {
        String key = path.toString();
        return Files.isRegularFile(resolve(key)) ? Optional.of(key) : Optional.empty();
    }

    /** Removes upload leftovers of a process that was killed mid-write: nothing refers to them. */
    public void removeIncomplete() {
        Path incoming = root.resolve(TEMP_DIR);
        if (!Files.isDirectory(incoming)) {
            return;
        }
        try (var parts = Files.list(incoming)) {
            parts.forEach(LocalDiskStorage::deleteQuietly);
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not clean " + incoming + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(resolve(key));
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not read " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not delete " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Health verify() {
        byte[] probe = ("Docbridge verification " + clock.instant()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ObjectPath path = ObjectPath.of(".docbridge-verify", UUID.randomUUID() + ".txt");
        try {
            StoredObject stored = put(path, new ByteArrayInputStream(probe), probe.length, Map.of());
            try (InputStream in = open(stored.key())) {
                if (!Arrays.equals(probe, in.readAllBytes())) {
                    return Health.failed("A test file in " + root + " read back different bytes", clock.instant());
                }
            } finally {
                delete(stored.key());
            }
            return Health.verified("Wrote, read back and deleted a test file in " + root, clock.instant());
        } catch (PluginException e) {
            return Health.of(e, clock.instant());
        } catch (IOException e) {
            return Health.failed("Could not read a test file in " + root + ": " + e.getMessage(), clock.instant());
        }
    }

    @Override
    public Health health() {
        return Files.isDirectory(root) && Files.isWritable(root)
                ? new Health(Health.Status.UNKNOWN, "The folder " + root + " is there", clock.instant())
                : Health.failed("The folder " + root + " is missing or not writable", clock.instant());
    }

    /** The file for a key, refusing any key that would lead outside the root. */
    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root) || key.startsWith(TEMP_DIR)) {
            throw notFound(key);
        }
        return path;
    }

    private static PluginException notFound(String key) {
        return new PluginException(ErrorKind.NOT_FOUND, "No file is stored at " + key);
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless; the next put uses another name
            }
        }
    }
}
