-- Files the host has asked a storage provider to store and not yet recorded as a revision. A row is written before
-- the upload and removed in the same transaction that records the revision, so after a crash the rows left say
-- which stored files no document refers to: start-up reconciliation removes them.
CREATE TABLE pending_files (
    id          VARCHAR(36)   PRIMARY KEY,
    provider_id VARCHAR(36)   NOT NULL,
    object_path VARCHAR(2000) NOT NULL,
    storage_key VARCHAR(1024),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Reconciliation asks whether a revision refers to a stored file.
CREATE INDEX revisions_storage_key ON revisions (provider_id, storage_key);
