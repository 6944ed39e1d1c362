-- External drives: a person's remote folders (OneDrive, SharePoint libraries) synced into My Files.
CREATE TABLE external_drives (
    id            VARCHAR(36)  PRIMARY KEY,
    user_id       BIGINT       NOT NULL REFERENCES users (id),
    type_id       VARCHAR(100) NOT NULL,
    name          VARCHAR(200) NOT NULL,
    root_id       VARCHAR(400) NOT NULL,
    sync_minutes  INT          NOT NULL DEFAULT 15,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE external_drive_settings (
    drive_id      VARCHAR(36)   NOT NULL REFERENCES external_drives (id) ON DELETE CASCADE,
    name          VARCHAR(64)   NOT NULL,
    setting_value VARCHAR(4000) NOT NULL,
    PRIMARY KEY (drive_id, name)
);
