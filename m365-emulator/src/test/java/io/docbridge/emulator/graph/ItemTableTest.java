package io.docbridge.emulator.graph;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The change-log index behind delta: a range of positions, kept right as items change and leave. */
class ItemTableTest {
    private static DriveStore.Item item(String id, String parentId, long seq) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new DriveStore.Item(id, "d", parentId, id + ".txt", false, 1, "guid-" + id, 1, 1, t, t,
                DriveStore.Actor.SYSTEM, DriveStore.Actor.SYSTEM, "text/plain", "", null, seq, null);
    }

    private static List<String> ids(ItemTable table, long after) {
        return table.changedAfter(after).stream().map(DriveStore.Item::id).toList();
    }

    @Test
    void changedAfterFollowsEachItemsLastChange() {
        ItemTable table = new ItemTable();
        table.put(item("a", "root", 1));
        table.put(item("b", "root", 2));
        table.put(item("c", "root", 3));
        assertEquals(List.of("a", "b", "c"), ids(table, 0));
        assertEquals(List.of("c"), ids(table, 2));

        table.put(item("a", "root", 4)); // changed again: listed at its new place only
        assertEquals(List.of("b", "c", "a"), ids(table, 1));
        assertEquals(List.of("a"), ids(table, 3));

        table.remove("b"); // deleted items are delta's tombstones, not items
        assertEquals(List.of("c", "a"), ids(table, 0));

        table.put(item("e", "root", 5)); // two items of one position (a restored snapshot) are both listed
        table.put(item("d", "root", 5));
        assertEquals(List.of("d", "e"), ids(table, 4));
        assertEquals(List.of(), ids(table, 5));
    }
}
