-- Disconnected drives whose index is still being removed. A drive of 100,000 items takes seconds to remove on
-- H2, so disconnecting only adds a row here, in the transaction that removes the drive; a host task removes the
-- items in short transactions. The row stays for a while after the last item went: a sync that was running when
-- the drive was disconnected may still write a page, and the next turns remove it too.
CREATE TABLE drive_index_removals (
    drive_id     VARCHAR(36) PRIMARY KEY,
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL
);
