package io.docbridge.api;

import java.util.List;
import java.util.Objects;

/**
 * A logical location for a stored file, such as {@code PRJ-1 / DOC-0001 / A / drawing.pdf}: the host's names,
 * not the storage's. A provider maps it to its own layout and makes names legal for its service; the host never
 * assumes the segments arrive unchanged.
 *
 * @param segments folder names then the file name; none empty, none {@code .} or {@code ..}, none containing
 *                 {@code /} or {@code \}
 */
public record ObjectPath(List<String> segments) {

    public ObjectPath {
        segments = List.copyOf(Objects.requireNonNull(segments, "segments"));
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a path needs at least a file name");
        }
        for (String s : segments) {
            if (s.isBlank() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0
                    || s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("not a path segment: '" + s + "'");
            }
        }
    }

    public static ObjectPath of(String... segments) {
        return new ObjectPath(List.of(segments));
    }

    /** The last segment. */
    public String fileName() {
        return segments.get(segments.size() - 1);
    }

    /** The folders above the file, outermost first. */
    public List<String> folders() {
        return segments.subList(0, segments.size() - 1);
    }

    /** This path below a folder: {@code ObjectPath.of("a").under("root")} is {@code root/a}. */
    public ObjectPath under(String folder) {
        var joined = new java.util.ArrayList<String>(segments.size() + 1);
        joined.add(folder);
        joined.addAll(segments);
        return new ObjectPath(joined);
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }
}
