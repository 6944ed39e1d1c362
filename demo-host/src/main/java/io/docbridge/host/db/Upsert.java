package io.docbridge.host.db;

import org.jdbi.v3.core.Handle;

import java.util.Map;

/**
 * Insert-or-update that H2 and PostgreSQL both understand: an UPDATE, then an INSERT if it touched no row. Callers
 * run it inside a transaction; each key has one writer at a time (one plugin's store, one drive's sync), so the
 * gap between the two statements is not contended.
 */
public final class Upsert {
    private Upsert() {
    }

    /**
     * @param table   the table
     * @param keys    key columns and values
     * @param values  the other columns and values
     */
    public static void run(Handle h, String table, Map<String, Object> keys, Map<String, Object> values) {
        StringBuilder update = new StringBuilder("UPDATE ").append(table).append(" SET ");
        update.append(String.join(", ", values.keySet().stream().map(c -> c + " = :" + c).toList()));
        update.append(" WHERE ").append(String.join(" AND ", keys.keySet().stream().map(c -> c + " = :" + c).toList()));
        var statement = h.createUpdate(update.toString()).bindMap(keys).bindMap(values);
        if (statement.execute() > 0) {
            return;
        }
        var columns = new java.util.ArrayList<>(keys.keySet());
        columns.addAll(values.keySet());
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> ":" + c).toList()) + ")";
        h.createUpdate(insert).bindMap(keys).bindMap(values).execute();
    }
}
