-- Scheduled work shared by every instance of a cluster: db-scheduler's table (its documented columns; varchar
-- instead of text so that H2 can key on them). Each due run is claimed by one instance with a row update; a dead
-- instance's claim is released when its heartbeat lapses.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(300) NOT NULL,
    task_data            ${binary},
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            VARCHAR(100),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- A task's status as every instance shows it: while it runs, its progress (running, items seen, changes applied,
-- message); once it ends, its result. A first run that has not ended has no finished_at yet.
ALTER TABLE task_last_runs ADD COLUMN running BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE task_last_runs ALTER COLUMN finished_at DROP NOT NULL;
