package io.docbridge.tck;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.PluginException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simplest external drive that passes the TCK: a tree in memory with a sequence-numbered change log. Every
 * change stamps the item with the next sequence number; a cursor says which generation of cursors it belongs to and
 * up to which number it has read, so the feed lists each changed item once, in its latest state. For host tests
 * (sync, pages) and for proving the TCK; holds file content in memory.
 *
 * <p>Cursor format {@code <generation>.<from>.<to>.<emitted>}: a read lists items changed in ({@code from},
 * {@code to}] and above {@code emitted}, oldest first. Thread-safe: every method locks the drive.
 */
public class InMemoryExternalDrive implements ExternalDrive {

    private static final String INVALID_CHARS = "/\\:*?\"<>|";

    private record Node(String id, String parentId, String name, boolean folder, byte[] content, Instant created,
                        Instant modified, long seq) {
    }

    private final Map<String, Node> nodes = new HashMap<>();
    /** Deleted item id to the sequence number of its deletion. */
    private final Map<String, Long> tombstones = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;
    private final int pageSize;
    private long seq;
    private long generation = 1;
    private int requests;

    public InMemoryExternalDrive(Clock clock, int pageSize) {
        this.clock = clock;
        this.pageSize = pageSize;
        nodes.put("root", new Node("root", null, "root", true, null, clock.instant(), clock.instant(), 0));
    }

    public InMemoryExternalDrive() {
        this(Clock.systemUTC(), 50);
    }

    /** Makes every cursor handed out so far invalid, as a server does when cursors grow old. */
    public synchronized void expireCursors() {
        generation++;
    }

    /** How many calls the drive has answered: a stand-in for the number of requests a remote drive would see. */
    public synchronized int requests() {
        return requests;
    }

    @Override
    public synchronized DriveItem root() {
        requests++;
        return item(nodes.get("root"));
    }

    @Override
    public synchronized List<DriveItem> children(String folderId) {
        requests++;
        Node parent = folder(folderId);
        return nodes.values().stream().filter(n -> parent.id.equals(n.parentId)).map(this::item).toList();
    }

    @Override
    public synchronized ChangePage changes(String cursor) {
        requests++;
        long from;
        long to;
        long emitted;
        if (cursor == null) {
            from = 0;
            to = seq;
            emitted = 0;
        } else {
            String[] parts = cursor.split("\\.");
            try {
                if (parts.length != 4 || Long.parseLong(parts[0]) != generation) {
                    throw new NumberFormatException();
                }
                from = Long.parseLong(parts[1]);
                to = Long.parseLong(parts[2]);
                emitted = Long.parseLong(parts[3]);
            } catch (NumberFormatException e) {
                throw new PluginException(ErrorKind.CURSOR_EXPIRED, "The sync position is no longer valid");
            }
            if (emitted == to) {
                // A caught-up cursor: start a new round over everything changed since.
                from = to;
                to = seq;
            }
        }
        long lower = Math.max(from, emitted);
        long upper = to;
        boolean initial = from == 0;
        record Event(long seq, DriveChange change) {
        }
        List<Event> events = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.seq > lower && n.seq <= upper && n.parentId != null) {
                events.add(new Event(n.seq, DriveChange.upserted(item(n))));
            }
        }
        if (!initial) {
            tombstones.forEach((id, at) -> {
                if (at > lower && at <= upper) {
                    events.add(new Event(at, DriveChange.deleted(id)));
                }
            });
        }
        events.sort(Comparator.comparingLong(Event::seq));
        boolean more = events.size() > pageSize;
        List<Event> page = more ? events.subList(0, pageSize) : events;
        long reached = more ? page.get(page.size() - 1).seq : upper;
        return new ChangePage(page.stream().map(Event::change).toList(),
                generation + "." + from + "." + to + "." + reached, more);
    }

    @Override
    public synchronized InputStream download(String itemId) {
        requests++;
        Node node = nodes.get(itemId);
        if (node == null || node.folder) {
            throw new PluginException(ErrorKind.NOT_FOUND, "The file does not exist (any more)");
        }
        return new ByteArrayInputStream(node.content);
    }

    @Override
    public synchronized DriveItem upload(String parentId, String name, InputStream content, long size,
                                         ConflictBehavior onConflict, Instant modified) {
        requests++;
        Node parent = folder(parentId);
        checkName(name);
        byte[] bytes = read(content, size);
        Node existing = child(parent.id, name);
        if (existing != null) {
            switch (onConflict) {
                case FAIL -> throw new PluginException(ErrorKind.CONFLICT, "An item named " + name + " already exists");
                case REPLACE -> {
                    return item(replaced(existing, bytes, modified));
                }
                case RENAME -> name = freeName(parent.id, name);
            }
        }
        Node added = add(parent.id, name, false, bytes);
        if (modified != null) {
            added = new Node(added.id, added.parentId, added.name, false, bytes, added.created, modified, added.seq);
            nodes.put(added.id, added);
        }
        return item(added);
    }

    @Override
    public synchronized DriveItem replace(String itemId, InputStream content, long size, String expectedVersion,
                                          Instant modified) {
        requests++;
        Node node = nodes.get(itemId);
        if (node == null || node.folder) {
            throw new PluginException(ErrorKind.NOT_FOUND, "The file does not exist (any more)");
        }
        if (!item(node).version().equals(expectedVersion)) {
            throw new PluginException(ErrorKind.CHANGED_SINCE_READ, "\"" + node.name + "\" changed since version "
                    + expectedVersion + "; it is " + item(node).version() + " now");
        }
        return item(replaced(node, read(content, size), modified));
    }

    private Node replaced(Node existing, byte[] bytes, Instant modified) {
        Node replaced = new Node(existing.id, existing.parentId, existing.name, false, bytes, existing.created,
                modified != null ? modified : clock.instant(), ++seq);
        nodes.put(replaced.id, replaced);
        return replaced;
    }

    private static byte[] read(InputStream content, long size) {
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length != size) {
            throw new PluginException(ErrorKind.INVALID_INPUT,
                    "Expected " + size + " bytes but the upload had " + bytes.length);
        }
        return bytes;
    }

    @Override
    public synchronized DriveItem createFolder(String parentId, String name, ConflictBehavior onConflict) {
        requests++;
        Node parent = folder(parentId);
        checkName(name);
        Node existing = child(parent.id, name);
        if (existing != null) {
            switch (onConflict) {
                case FAIL -> throw new PluginException(ErrorKind.CONFLICT, "An item named " + name + " already exists");
                case REPLACE -> removeTree(existing.id);
                case RENAME -> name = freeName(parent.id, name);
            }
        }
        return item(add(parent.id, name, true, null));
    }

    @Override
    public synchronized DriveItem move(String itemId, String newParentId, String newName) {
        requests++;
        Node node = nodes.get(itemId);
        if (node == null || node.parentId == null) {
            throw new PluginException(ErrorKind.NOT_FOUND, "The item does not exist (any more)");
        }
        String parentId = newParentId == null ? node.parentId : folder(newParentId).id;
        String name = newName == null ? node.name : newName;
        checkName(name);
        for (String p = parentId; p != null; p = nodes.get(p).parentId) {
            if (p.equals(itemId)) {
                throw new PluginException(ErrorKind.CONFLICT, "A folder cannot move into itself");
            }
        }
        Node clash = child(parentId, name);
        if (clash != null && !clash.id.equals(itemId)) {
            throw new PluginException(ErrorKind.CONFLICT, "An item named " + name + " already exists");
        }
        Node moved = new Node(node.id, parentId, name, node.folder, node.content, node.created, clock.instant(), ++seq);
        nodes.put(moved.id, moved);
        return item(moved);
    }

    @Override
    public synchronized void delete(String itemId) {
        requests++;
        Node node = nodes.get(itemId);
        if (node == null || node.parentId == null) {
            throw new PluginException(ErrorKind.NOT_FOUND, "The item does not exist (any more)");
        }
        removeTree(itemId);
    }

    private void removeTree(String itemId) {
        for (Node n : List.copyOf(nodes.values())) {
            if (itemId.equals(n.parentId)) {
                removeTree(n.id);
            }
        }
        nodes.remove(itemId);
        tombstones.put(itemId, ++seq);
    }

    private Node add(String parentId, String name, boolean folder, byte[] content) {
        Instant now = clock.instant();
        Node node = new Node("item-" + ids.incrementAndGet(), parentId, name, folder, content, now, now, ++seq);
        nodes.put(node.id, node);
        return node;
    }

    private Node folder(String id) {
        Node node = nodes.get(id);
        if (node == null || !node.folder) {
            throw new PluginException(ErrorKind.NOT_FOUND, "The folder does not exist (any more)");
        }
        return node;
    }

    private Node child(String parentId, String name) {
        return nodes.values().stream()
                .filter(n -> parentId.equals(n.parentId) && n.name.equalsIgnoreCase(name))
                .findFirst().orElse(null);
    }

    private String freeName(String parentId, String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; ; i++) {
            String candidate = base + " " + i + ext;
            if (child(parentId, candidate) == null) {
                return candidate;
            }
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.endsWith(".") || name.endsWith(" ")) {
            throw new PluginException(ErrorKind.NAME_NOT_ALLOWED, "A name cannot be empty or end in a dot or space");
        }
        for (char c : name.toCharArray()) {
            if (INVALID_CHARS.indexOf(c) >= 0 || c < 32) {
                throw new PluginException(ErrorKind.NAME_NOT_ALLOWED, "A name cannot contain '" + c + "'");
            }
        }
    }

    private DriveItem item(Node n) {
        long size = n.folder ? 0 : n.content.length;
        return new DriveItem(n.id, n.parentId, n.name, n.folder, size, n.created, n.modified, "", "\"" + n.seq + "\"",
                "");
    }
}
