package io.docbridge.host.drives;

import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;
import io.docbridge.host.drives.FileIndex;
import io.docbridge.host.db.Upsert;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** The file index in the {@code drive_items} and {@code drive_cursors} tables; one transaction per page. */
public final class DbFileIndex implements FileIndex {
    private final Jdbi db;

    public DbFileIndex(Jdbi db) {
        this.db = db;
    }

    @Override
    public void apply(String driveId, List<DriveChange> changes, String cursor) {
        db.useTransaction(h -> {
            String upsert = upsertStatement(h);
            List<DriveItem> pending = new ArrayList<>();
            for (DriveChange change : changes) {
                if (change.isDeleted()) {
                    write(h, upsert, driveId, pending); // in the feed's order: what came before the deletion
                    deleteTree(h, driveId, change.itemId());
                } else {
                    pending.add(change.item());
                }
            }
            write(h, upsert, driveId, pending);
            Upsert.run(h, "drive_cursors", Map.of("drive_id", driveId), Map.of("sync_cursor", cursor));
        });
    }

    private static final String COLUMNS = "drive_id, item_id, parent_id, name, is_folder, size_bytes, created, "
            + "modified, modified_by, version, web_url, unseen";
    private static final String VALUES = ":d, :i, :p, :n, :f, :s, :c, :m, :b, :v, :w, FALSE";

    /**
     * One statement per item, safe when two writers meet on a key (a sync and a person's upload on one item):
     * PostgreSQL's INSERT … ON CONFLICT, H2's MERGE … KEY, each atomic in its database. Sent in batches.
     */
    private static String upsertStatement(Handle h) {
        if (Upsert.postgres(h)) {
            return "INSERT INTO drive_items (" + COLUMNS + ") VALUES (" + VALUES + ") ON CONFLICT (drive_id, item_id) "
                    + "DO UPDATE SET parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, is_folder = EXCLUDED.is_folder, "
                    + "size_bytes = EXCLUDED.size_bytes, created = EXCLUDED.created, modified = EXCLUDED.modified, "
                    + "modified_by = EXCLUDED.modified_by, version = EXCLUDED.version, web_url = EXCLUDED.web_url, "
                    + "unseen = FALSE";
        }
        return "MERGE INTO drive_items (" + COLUMNS + ") KEY (drive_id, item_id) VALUES (" + VALUES + ")";
    }

    /** Writes the items in one batch and empties the list. */
    private static void write(Handle h, String upsert, String driveId, List<DriveItem> items) {
        if (items.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch(upsert);
        for (DriveItem item : items) {
            batch.bind("d", driveId).bind("i", item.id()).bind("p", item.parentId()).bind("n", item.name())
                    .bind("f", item.folder()).bind("s", item.size()).bind("c", item.created().atOffset(ZoneOffset.UTC))
                    .bind("m", item.modified().atOffset(ZoneOffset.UTC)).bind("b", item.modifiedBy())
                    .bind("v", item.version()).bind("w", item.webUrl()).add();
        }
        batch.execute();
        items.clear();
    }

    /**
     * The items with these ids and everything below them, as a recursive query over the parent links: one statement
     * whatever the size of the tree (a folder with 50,000 descendants), and no list of ids sent to the database.
     * UNION, not UNION ALL, so a parent loop in bad data ends instead of recursing for ever.
     */
    private static final String TREE = """
            WITH RECURSIVE tree(item_id) AS (
                SELECT item_id FROM drive_items WHERE drive_id = :d AND item_id IN (<ids>)
              UNION
                SELECT c.item_id FROM drive_items c JOIN tree t ON c.parent_id = t.item_id WHERE c.drive_id = :d
            ) SELECT item_id FROM tree""";

    /**
     * Removes an item and everything below it. PostgreSQL does it in one statement joined to the recursive query;
     * H2 evaluates such a subquery again for every row it deletes, so there the tree is read once and deleted a
     * thousand ids at a time.
     */
    private static void deleteTree(Handle h, String driveId, String itemId) {
        if (Upsert.postgres(h)) {
            h.createUpdate(TREE.replace(") SELECT item_id FROM tree", ") DELETE FROM drive_items d USING tree t "
                            + "WHERE d.drive_id = :d AND d.item_id = t.item_id"))
                    .bind("d", driveId).bindList("ids", List.of(itemId)).execute();
            return;
        }
        List<String> doomed = h.createQuery(TREE).bind("d", driveId).bindList("ids", List.of(itemId))
                .mapTo(String.class).list();
        for (int from = 0; from < doomed.size(); from += DELETE_CHUNK) {
            h.createUpdate("DELETE FROM drive_items WHERE drive_id = :d AND item_id IN (<ids>)").bind("d", driveId)
                    .bindList("ids", doomed.subList(from, Math.min(doomed.size(), from + DELETE_CHUNK))).execute();
        }
    }

    private static final int DELETE_CHUNK = 1000;

    @Override
    public long removals(String driveId, List<DriveChange> changes) {
        List<String> deleted = changes.stream().filter(DriveChange::isDeleted).map(DriveChange::itemId).toList();
        if (deleted.isEmpty()) {
            return 0;
        }
        // One change page's deletions (a page has at most a thousand items), and all that is below them.
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM (" + TREE + ") doomed")
                .bind("d", driveId).bindList("ids", List.copyOf(new LinkedHashSet<>(deleted))).mapTo(Long.class).one());
    }

    @Override
    public Optional<String> cursor(String driveId) {
        return db.withHandle(h -> h.createQuery("SELECT sync_cursor FROM drive_cursors WHERE drive_id = :d")
                .bind("d", driveId).mapTo(String.class).findOne());
    }

    /**
     * Marks the items in turns, then forgets the cursor: on H2 one statement over a drive of 100,000 items took 30 s
     * in one transaction that held every change in memory. A crash between turns leaves the expired cursor, so the
     * next run starts the resync again and marks the rest.
     */
    @Override
    public void beginResync(String driveId) {
        inTurns("UPDATE drive_items SET unseen = TRUE", driveId, "NOT unseen");
        db.useHandle(h -> h.createUpdate("DELETE FROM drive_cursors WHERE drive_id = :d").bind("d", driveId).execute());
    }

    /** Removes the unseen items in turns; a crash between turns leaves the rest for the next run to remove. */
    @Override
    public int finishResync(String driveId) {
        return inTurns("DELETE FROM drive_items", driveId, "unseen");
    }

    /** Turns of {@link #TURN} rows, each its own transaction, until one changes nothing; returns the rows changed. */
    private int inTurns(String statement, String driveId, String condition) {
        int changed = 0;
        int turn;
        do {
            turn = db.inTransaction(h -> turn(h, statement, driveId, condition, TURN));
            changed += turn;
        } while (turn > 0);
        return changed;
    }

    /**
     * One turn of {@code statement} (an UPDATE or DELETE of drive_items) on at most {@code limit} of the drive's rows
     * that match {@code condition}; returns how many it changed. PostgreSQL has no LIMIT on UPDATE and DELETE, so
     * there the rows are chosen by their key in a subquery.
     */
    private static int turn(Handle h, String statement, String driveId, String condition, int limit) {
        String sql = Upsert.postgres(h)
                ? statement + " WHERE drive_id = :d AND item_id IN (SELECT item_id FROM drive_items WHERE drive_id = :d"
                + " AND " + condition + " LIMIT :n)"
                : statement + " WHERE drive_id = :d AND " + condition + " LIMIT :n";
        return h.createUpdate(sql).bind("d", driveId).bind("n", limit).execute();
    }

    @Override
    public long unseen(String driveId) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM drive_items WHERE drive_id = :d AND unseen")
                .bind("d", driveId).mapTo(Long.class).one());
    }

    @Override
    public Optional<DriveItem> item(String driveId, String itemId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM drive_items WHERE drive_id = :d AND item_id = :i")
                .bind("d", driveId).bind("i", itemId).map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public List<DriveItem> children(String driveId, String folderId) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM drive_items WHERE drive_id = :d AND parent_id = :p
                        ORDER BY is_folder DESC, LOWER(name), name""")
                .bind("d", driveId).bind("p", folderId).map((rs, ctx) -> map(rs)).list());
    }

    @Override
    public List<DriveItem> childFolders(String driveId, String folderId) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM drive_items WHERE drive_id = :d AND parent_id = :p AND is_folder
                        ORDER BY LOWER(name), name""")
                .bind("d", driveId).bind("p", folderId).map((rs, ctx) -> map(rs)).list());
    }

    @Override
    public List<DriveItem> page(String driveId, String folderId, Order order, boolean descending, String filter,
                                int offset, int limit) {
        String dir = descending ? " DESC" : "";
        String sort = switch (order) {
            case NAME -> "LOWER(name)" + dir + ", name" + dir;
            case SIZE -> "size_bytes" + dir + ", LOWER(name), name";
            case MODIFIED -> "modified" + dir + ", LOWER(name), name";
        };
        String like = filter.isEmpty() ? "" : " AND LOWER(name) LIKE :f ESCAPE '\\'";
        return db.withHandle(h -> {
            var query = h.createQuery("SELECT * FROM drive_items WHERE drive_id = :d AND parent_id = :p" + like
                            + " ORDER BY is_folder DESC, " + sort + ", item_id LIMIT :limit OFFSET :offset")
                    .bind("d", driveId).bind("p", folderId).bind("limit", limit).bind("offset", offset);
            if (!filter.isEmpty()) { // a name part, with LIKE's own characters taken literally
                query.bind("f", "%" + filter.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\")
                        .replace("%", "\\%").replace("_", "\\_") + "%");
            }
            return query.map((rs, ctx) -> map(rs)).list();
        });
    }

    @Override
    public long count(String driveId) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM drive_items WHERE drive_id = :d")
                .bind("d", driveId).mapTo(Long.class).one());
    }

    @Override
    public int removeSome(String driveId, int limit) {
        return db.inTransaction(h -> {
            int removed = turn(h, "DELETE FROM drive_items", driveId, "TRUE", limit);
            if (removed == 0) {
                h.createUpdate("DELETE FROM drive_cursors WHERE drive_id = :d").bind("d", driveId).execute();
            }
            return removed;
        });
    }

    private static DriveItem map(ResultSet rs) throws SQLException {
        return new DriveItem(rs.getString("item_id"), rs.getString("parent_id"), rs.getString("name"),
                rs.getBoolean("is_folder"), rs.getLong("size_bytes"),
                rs.getObject("created", OffsetDateTime.class).toInstant(),
                rs.getObject("modified", OffsetDateTime.class).toInstant(), rs.getString("modified_by"),
                rs.getString("version"), rs.getString("web_url"));
    }
}
