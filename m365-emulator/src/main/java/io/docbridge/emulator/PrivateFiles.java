package io.docbridge.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Files only the emulator's own account may read, whatever the umask: its state holds client secrets, refresh
 * tokens and signing keys. Folders are 0700 and files 0600 from the moment they are created.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** Creates the folder (and missing parents, 0700 too) if needed, and makes it 0700. */
    public static Path folder(Path dir) throws IOException {
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } else {
            Files.createDirectories(dir);
        }
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /** Opens a new or emptied file for writing, created 0600 before any byte is written. */
    public static OutputStream newFile(Path file) throws IOException {
        if (POSIX && !Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.newOutputStream(file);
    }

    /** Makes every folder under {@code root} 0700 and every file 0600 (what an older version left readable). */
    public static void restrict(Path root) {
        if (!POSIX || !Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                            Files.isDirectory(p) ? "rwx------" : "rw-------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restrict the permissions under " + root, e);
        }
    }
}
