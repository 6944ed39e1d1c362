-- drive_items_folders (drive_id, parent_id, is_folder) answers every lookup by (drive_id, parent_id) as well; the
-- older index only cost one more index write for every item a sync writes.
DROP INDEX drive_items_parent;
