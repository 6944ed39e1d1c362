package io.docbridge.host.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The schema the migrations make. */
class SchemaTest {
    @TempDir
    Path data;

    @Test
    void noIndexIsTheLeadingPartOfAnotherOnTheSameTable() {
        // An index whose columns lead another index answers nothing the longer one does not, and every row written
        // pays for it (drive_items_parent cost each item a sync writes one more index entry).
        try (Database db = Database.open(Database.defaultUrl(data), "sa", "")) {
            Map<String, List<String>> columns = new LinkedHashMap<>();
            db.jdbi().useHandle(h -> h.createQuery("""
                            SELECT c.TABLE_NAME, c.INDEX_NAME, c.COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS c
                            WHERE c.TABLE_SCHEMA = 'PUBLIC' ORDER BY c.TABLE_NAME, c.INDEX_NAME, c.ORDINAL_POSITION""")
                    .map((rs, ctx) -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)})
                    .forEach(r -> columns.computeIfAbsent(r[0] + "." + r[1], k -> new ArrayList<>()).add(r[2])));
            List<String> redundant = new ArrayList<>();
            columns.forEach((index, cols) -> columns.forEach((other, otherCols) -> {
                String table = index.substring(0, index.indexOf('.'));
                if (!index.equals(other) && other.startsWith(table + ".") && otherCols.size() > cols.size()
                        && otherCols.subList(0, cols.size()).equals(cols) && !index.contains("PRIMARY_KEY")
                        && !index.contains("CONSTRAINT") && !table.equals("JETTYSESSIONS")) { // Jetty's own design
                    redundant.add(index + " " + cols + " leads " + other + " " + otherCols);
                }
            }));
            assertEquals(List.of(), redundant);
        }
    }
}
