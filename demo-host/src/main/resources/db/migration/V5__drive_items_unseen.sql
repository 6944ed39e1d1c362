-- Every sync asks whether a resync left items unseen; an index keeps that answer from reading the whole drive.
CREATE INDEX drive_items_unseen ON drive_items (drive_id, unseen);
