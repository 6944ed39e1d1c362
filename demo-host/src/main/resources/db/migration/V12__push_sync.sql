-- Push sync: each drive's change-notification subscription at its service. The clientState is kept only as its
-- SHA-256, enough to check a notification and useless to forge one. Looked up by subscription id (each notification)
-- and by expiry (the renewal task), never scanned on a person's request.
CREATE TABLE drive_push (
    drive_id          VARCHAR(36)   PRIMARY KEY REFERENCES external_drives (id) ON DELETE CASCADE,
    subscription_id   VARCHAR(200),
    client_state_hash VARCHAR(64)   NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE,
    status            VARCHAR(16)   NOT NULL,
    message           VARCHAR(1000) NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX drive_push_subscription ON drive_push (subscription_id);
CREATE INDEX drive_push_status_expiry ON drive_push (status, expires_at);

-- A run asked for while the task was running (a notification mid-sync): the run's end starts one more at once.
ALTER TABLE task_last_runs ADD COLUMN run_again BOOLEAN DEFAULT FALSE NOT NULL;
