-- Organisation drives: connected once by an administrator, listed in every person's My Files (read-only to them).
-- user_id stays the administrator who connected it.
ALTER TABLE external_drives ADD COLUMN organisation BOOLEAN DEFAULT FALSE NOT NULL;
