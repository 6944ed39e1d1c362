-- Users and roles.
CREATE TABLE users (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    display_name  VARCHAR(200) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    role          VARCHAR(16)  NOT NULL CHECK (role IN ('ORG_ADMIN', 'USER')),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_username UNIQUE (username)
);

-- Where revision files live: configured instances of storage provider types.
CREATE TABLE storage_providers (
    id                VARCHAR(36)  PRIMARY KEY,
    type_id           VARCHAR(100) NOT NULL,
    name              VARCHAR(200) NOT NULL,
    is_default        BOOLEAN      NOT NULL DEFAULT FALSE,
    health_status     VARCHAR(32)  NOT NULL DEFAULT 'UNKNOWN',
    health_message    VARCHAR(2000) NOT NULL DEFAULT 'Not verified yet',
    health_checked_at TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE storage_provider_settings (
    provider_id VARCHAR(36)   NOT NULL REFERENCES storage_providers (id) ON DELETE CASCADE,
    name        VARCHAR(64)   NOT NULL,
    "VALUE"     VARCHAR(4000) NOT NULL,
    PRIMARY KEY (provider_id, name)
);

-- Documents.
CREATE TABLE projects (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    code       VARCHAR(32)  NOT NULL,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT projects_code UNIQUE (code)
);

CREATE TABLE documents (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT       NOT NULL REFERENCES projects (id),
    number     VARCHAR(64)  NOT NULL,
    title      VARCHAR(200) NOT NULL,
    doc_type   VARCHAR(64)  NOT NULL,
    status     VARCHAR(32)  NOT NULL,
    created_by BIGINT       NOT NULL REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT documents_number UNIQUE (project_id, number)
);

CREATE TABLE revisions (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    document_id  BIGINT        NOT NULL REFERENCES documents (id),
    code         VARCHAR(16)   NOT NULL,
    file_name    VARCHAR(255)  NOT NULL,
    content_type VARCHAR(200)  NOT NULL,
    size_bytes   BIGINT        NOT NULL,
    sha256       VARCHAR(64)   NOT NULL,
    -- A revision remembers where it was stored: changing the default provider never moves it.
    provider_id  VARCHAR(36)   NOT NULL REFERENCES storage_providers (id),
    storage_key  VARCHAR(1024) NOT NULL,
    location     VARCHAR(2000) NOT NULL,
    created_by   BIGINT        NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT revisions_code UNIQUE (document_id, code)
);

-- Per-plugin stores behind HostContext.
CREATE TABLE plugin_settings (
    plugin_id VARCHAR(64)   NOT NULL,
    name      VARCHAR(400)  NOT NULL,
    "VALUE"   VARCHAR(8000) NOT NULL,
    PRIMARY KEY (plugin_id, name)
);

CREATE TABLE plugin_secrets (
    plugin_id  VARCHAR(64)  NOT NULL,
    name       VARCHAR(400) NOT NULL,
    ciphertext CLOB         NOT NULL,
    PRIMARY KEY (plugin_id, name)
);

-- The file index that external-drive sync writes into.
CREATE TABLE drive_items (
    drive_id    VARCHAR(64)   NOT NULL,
    item_id     VARCHAR(400)  NOT NULL,
    parent_id   VARCHAR(400),
    name        VARCHAR(400)  NOT NULL,
    is_folder   BOOLEAN       NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    created     TIMESTAMP WITH TIME ZONE NOT NULL,
    modified    TIMESTAMP WITH TIME ZONE NOT NULL,
    modified_by VARCHAR(400)  NOT NULL,
    version     VARCHAR(400)  NOT NULL,
    web_url     VARCHAR(2000) NOT NULL,
    unseen      BOOLEAN       NOT NULL DEFAULT FALSE,
    PRIMARY KEY (drive_id, item_id)
);
CREATE INDEX drive_items_parent ON drive_items (drive_id, parent_id);

CREATE TABLE drive_cursors (
    drive_id VARCHAR(64)   PRIMARY KEY,
    cursor   VARCHAR(8000) NOT NULL
);
