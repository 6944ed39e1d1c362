package io.docbridge.host.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks on a plugin archive before PF4J expands it, and clean-up after one was refused. An entry whose name leads
 * outside the archive's folder (zip-slip) is refused with that reason, before anything is written; a refused zip's
 * half-expanded folder is removed, so that the next rescan cannot load it as if it were whole.
 */
final class ArchiveCheck {
    private ArchiveCheck() {
    }

    /** Refuses a zip with an entry that would land outside its folder; other files pass. */
    static void refuseUnsafe(Path archive) throws IOException {
        if (!archive.getFileName().toString().endsWith(".zip") || Files.isDirectory(archive)) {
            return;
        }
        Path target = expandedFolder(archive).toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                Path resolved = target.resolve(name).normalize();
                if (name.startsWith("/") || name.startsWith("\\") || name.contains("\\") || !resolved.startsWith(target)) {
                    throw new IOException("The archive was refused: its entry \"" + name + "\" would be written "
                            + "outside the plugin's folder (a path-traversal, or \"zip-slip\", archive).");
                }
            }
        }
    }

    /** Removes what PF4J expanded from a refused zip; nothing for other archives. */
    static void removeExpanded(Path archive) {
        if (!archive.getFileName().toString().endsWith(".zip")) {
            return;
        }
        Path folder = expandedFolder(archive);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for the operator; the archive stays refused either way
        }
    }

    private static Path expandedFolder(Path zip) {
        String name = zip.getFileName().toString();
        return zip.resolveSibling(name.substring(0, name.length() - ".zip".length()));
    }

    /**
     * Archives refused as they are now, by path and modification time: a refused archive is not tried again until
     * it changes. (Why it was refused is the plugin system's list of load failures.)
     */
    static final class Refusals {
        private final Map<Path, FileTime> refused = new ConcurrentHashMap<>();

        /** Whether the archive was refused and has not changed since. */
        boolean stillRefused(Path archive) {
            return modified(archive).equals(refused.get(archive.toAbsolutePath()));
        }

        void add(Path archive) {
            refused.put(archive.toAbsolutePath(), modified(archive));
        }

        private static FileTime modified(Path p) {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                return FileTime.fromMillis(0);
            }
        }
    }
}
