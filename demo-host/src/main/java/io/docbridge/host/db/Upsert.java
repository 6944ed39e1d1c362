package io.docbridge.host.db;

import org.jdbi.v3.core.Handle;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Insert-or-update in one statement, atomic in each database: PostgreSQL's {@code INSERT … ON CONFLICT … DO UPDATE}
 * (https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT), H2's {@code MERGE … KEY}
 * (https://h2database.com/html/commands.html#merge_into). Two writers that meet on a new key (two instances starting
 * at once save the same host task's status) both succeed, where an UPDATE followed by an INSERT made the second fail
 * with a duplicate key. A row that exists keeps the columns not named.
 */
public final class Upsert {
    private Upsert() {
    }

    /**
     * @param table   the table
     * @param keys    key columns and values (the table's primary key or a unique constraint)
     * @param values  the other columns and values
     */
    public static void run(Handle h, String table, Map<String, Object> keys, Map<String, Object> values) {
        h.createUpdate(statement(postgres(h), table, List.copyOf(keys.keySet()), List.copyOf(values.keySet())))
                .bindMap(keys).bindMap(values).execute();
    }

    static String statement(boolean postgres, String table, List<String> keys, List<String> values) {
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(values);
        String parameters = String.join(", ", columns.stream().map(c -> ":" + c).toList());
        if (!postgres) {
            return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", keys)
                    + ") VALUES (" + parameters + ")";
        }
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + parameters
                + ") ON CONFLICT (" + String.join(", ", keys) + ") DO ";
        return values.isEmpty() ? insert + "NOTHING"
                : insert + "UPDATE SET " + String.join(", ", values.stream().map(c -> c + " = EXCLUDED." + c).toList());
    }

    /** Whether the handle's database is PostgreSQL (else H2, the only other one the host runs on). */
    public static boolean postgres(Handle h) {
        try {
            return h.getConnection().getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
