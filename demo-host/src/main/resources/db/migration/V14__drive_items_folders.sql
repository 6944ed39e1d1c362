-- A folder page offers the folders beside its items as move targets: found by this index, not by reading every
-- item of a folder that may hold 50,000.
CREATE INDEX drive_items_folders ON drive_items (drive_id, parent_id, is_folder);
