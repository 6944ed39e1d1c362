package io.docbridge.emulator.graph;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A drive's items by id, with what Graph answers from an index rather than a scan: a folder's children in name order,
 * one child by name, the items changed after a point of the change log (delta), and the bytes the drive's files
 * use. A lookup costs the same in a drive of ten items and of a hundred thousand, as the service's does; a scan per
 * request made the emulator, not the client, what a benchmark of a large drive measured. Not thread-safe:
 * {@link DriveStore} holds its lock around every use.
 */
final class ItemTable {
    private final Map<String, DriveStore.Item> byId = new HashMap<>();
    /** Names are unique in a folder regardless of case, so the lower-case name is the key. */
    private final Map<String, TreeMap<String, DriveStore.Item>> byParent = new HashMap<>();
    /** By change-log position: what a delta token asks for is a range, not a walk of the drive. */
    private final TreeMap<ChangeKey, DriveStore.Item> bySeq = new TreeMap<>();
    private long fileBytes;

    /** An item's place in the change log; the id keeps two items of one position (as restored) apart. */
    private record ChangeKey(long seq, String id) implements Comparable<ChangeKey> {
        @Override
        public int compareTo(ChangeKey other) {
            int bySeq = Long.compare(seq, other.seq);
            return bySeq != 0 ? bySeq : id.compareTo(other.id);
        }
    }

    void put(DriveStore.Item item) {
        DriveStore.Item old = byId.put(item.id(), item);
        if (old != null) {
            unindex(old);
        }
        if (item.parentId() != null) {
            byParent.computeIfAbsent(item.parentId(), p -> new TreeMap<>()).put(key(item.name()), item);
        }
        bySeq.put(new ChangeKey(item.seq(), item.id()), item);
        if (!item.folder()) {
            fileBytes += item.size();
        }
    }

    void remove(String id) {
        DriveStore.Item old = byId.remove(id);
        if (old != null) {
            unindex(old);
        }
    }

    private void unindex(DriveStore.Item item) {
        bySeq.remove(new ChangeKey(item.seq(), item.id()));
        if (item.parentId() != null) {
            TreeMap<String, DriveStore.Item> siblings = byParent.get(item.parentId());
            if (siblings != null && siblings.get(key(item.name())) == item) {
                siblings.remove(key(item.name()));
                if (siblings.isEmpty()) {
                    byParent.remove(item.parentId());
                }
            }
        }
        if (!item.folder()) {
            fileBytes -= item.size();
        }
    }

    DriveStore.Item get(String id) {
        return byId.get(id);
    }

    Collection<DriveStore.Item> values() {
        return Collections.unmodifiableCollection(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** A folder's children, ordered by name regardless of case. */
    List<DriveStore.Item> children(String parentId) {
        TreeMap<String, DriveStore.Item> children = byParent.get(parentId);
        return children == null ? List.of() : List.copyOf(children.values());
    }

    Optional<DriveStore.Item> child(String parentId, String name) {
        TreeMap<String, DriveStore.Item> children = byParent.get(parentId);
        return children == null ? Optional.empty() : Optional.ofNullable(children.get(key(name)));
    }

    /** The items whose last change comes after change-log position {@code seq}, in the order of the log. */
    Collection<DriveStore.Item> changedAfter(long seq) {
        return Collections.unmodifiableCollection(bySeq.tailMap(new ChangeKey(seq + 1, ""), true).values());
    }

    long fileBytes() {
        return fileBytes;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
