-- The last result of each scheduled task (a drive's sync, the storage health check), so a restart shows it
-- instead of "Not run yet".
CREATE TABLE task_last_runs (
    task_key        VARCHAR(300)  PRIMARY KEY,
    message         VARCHAR(4000) NOT NULL,
    succeeded       BOOLEAN       NOT NULL,
    items_seen      BIGINT        NOT NULL,
    changes_applied BIGINT        NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
