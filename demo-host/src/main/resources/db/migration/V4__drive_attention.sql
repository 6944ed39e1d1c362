-- What a drive's last sync left for its person to do, kept across restarts: 'held' (removals past the deletion
-- limit wait for confirmation) or 'signed-out' (the sign-in expired: Reconnect). NULL when nothing waits.
ALTER TABLE external_drives ADD COLUMN attention VARCHAR(20);
