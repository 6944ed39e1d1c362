package io.docbridge.host;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The host's data folder is readable by the host's account only, whatever the umask: it holds the database (with
 * encrypted tokens), the secret key and revision files. Folders are 0700 and files 0600.
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
