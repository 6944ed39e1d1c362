package io.docbridge.host.plugins;

import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;
import io.docbridge.api.FileIndex;
import io.docbridge.host.db.Upsert;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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
            for (DriveChange change : changes) {
                if (change.isDeleted()) {
                    deleteTree(h, driveId, change.itemId());
                } else {
                    upsert(h, driveId, change.item());
                }
            }
            Upsert.run(h, "drive_cursors", Map.of("drive_id", driveId), Map.of("sync_cursor", cursor));
        });
    }

    private static void upsert(Handle h, String driveId, DriveItem item) {
        Map<String, Object> values = new HashMap<>();
        values.put("parent_id", item.parentId());
        values.put("name", item.name());
        values.put("is_folder", item.folder());
        values.put("size_bytes", item.size());
        values.put("created", item.created().atOffset(ZoneOffset.UTC));
        values.put("modified", item.modified().atOffset(ZoneOffset.UTC));
        values.put("modified_by", item.modifiedBy());
        values.put("version", item.version());
        values.put("web_url", item.webUrl());
        values.put("unseen", false);
        Upsert.run(h, "drive_items", Map.of("drive_id", driveId, "item_id", item.id()), values);
    }

    private static void deleteTree(Handle h, String driveId, String itemId) {
        List<String> doomed = tree(h, driveId, List.of(itemId));
        h.createUpdate("DELETE FROM drive_items WHERE drive_id = :d AND item_id IN (<ids>)")
                .bind("d", driveId).bindList("ids", doomed).execute();
    }

    /** The items and everything below them, as ids (some of which may not be indexed). */
    private static List<String> tree(Handle h, String driveId, List<String> itemIds) {
        List<String> tree = new ArrayList<>(new LinkedHashSet<>(itemIds));
        for (int i = 0; i < tree.size(); i++) {
            tree.addAll(h.createQuery("SELECT item_id FROM drive_items WHERE drive_id = :d AND parent_id = :p")
                    .bind("d", driveId).bind("p", tree.get(i)).mapTo(String.class).list());
        }
        return tree;
    }

    @Override
    public long removals(String driveId, List<DriveChange> changes) {
        List<String> deleted = changes.stream().filter(DriveChange::isDeleted).map(DriveChange::itemId).toList();
        if (deleted.isEmpty()) {
            return 0;
        }
        return db.withHandle(h -> {
            List<String> doomed = List.copyOf(new LinkedHashSet<>(tree(h, driveId, deleted)));
            return h.createQuery("SELECT COUNT(*) FROM drive_items WHERE drive_id = :d AND item_id IN (<ids>)")
                    .bind("d", driveId).bindList("ids", doomed).mapTo(Long.class).one();
        });
    }

    @Override
    public Optional<String> cursor(String driveId) {
        return db.withHandle(h -> h.createQuery("SELECT sync_cursor FROM drive_cursors WHERE drive_id = :d")
                .bind("d", driveId).mapTo(String.class).findOne());
    }

    @Override
    public void beginResync(String driveId) {
        db.useTransaction(h -> {
            h.createUpdate("DELETE FROM drive_cursors WHERE drive_id = :d").bind("d", driveId).execute();
            h.createUpdate("UPDATE drive_items SET unseen = TRUE WHERE drive_id = :d").bind("d", driveId).execute();
        });
    }

    @Override
    public int finishResync(String driveId) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM drive_items WHERE drive_id = :d AND unseen")
                .bind("d", driveId).execute());
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
    public long count(String driveId) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM drive_items WHERE drive_id = :d")
                .bind("d", driveId).mapTo(Long.class).one());
    }

    @Override
    public void clear(String driveId) {
        db.useTransaction(h -> {
            h.createUpdate("DELETE FROM drive_items WHERE drive_id = :d").bind("d", driveId).execute();
            h.createUpdate("DELETE FROM drive_cursors WHERE drive_id = :d").bind("d", driveId).execute();
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
