-- Workspaces and classes (dev.berth.workspace, dev.berth.classroom).

-- A class: a trainer's template and ONE join link (only the SHA-256 of its token is stored).
CREATE TABLE classes (
    id            BIGSERIAL PRIMARY KEY,
    name          VARCHAR(128) NOT NULL,
    trainer       VARCHAR(160) NOT NULL,
    token_hash    CHAR(64)     NOT NULL UNIQUE,
    image         VARCHAR(512) NOT NULL,
    cmd           TEXT,                       -- JSON array, null: the image's command
    ports         TEXT,                       -- JSON array of container ports ("80", "8080/tcp")
    memory_bytes  BIGINT       NOT NULL DEFAULT 0,
    nano_cpus     BIGINT       NOT NULL DEFAULT 0,
    pids_limit    BIGINT       NOT NULL DEFAULT 0,
    ttl_seconds   BIGINT       NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX classes_trainer ON classes(trainer);

-- A workspace groups containers (engine label dev.berth.workspace = id) for one person; it expires after
-- ttl_seconds without activity.
CREATE TABLE workspaces (
    id               VARCHAR(32)  PRIMARY KEY,
    owner            VARCHAR(160) NOT NULL,
    display_name     VARCHAR(128) NOT NULL,
    class_id         BIGINT REFERENCES classes(id) ON DELETE SET NULL,
    ttl_seconds      BIGINT       NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_activity_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    memory_bytes     BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX workspaces_owner ON workspaces(owner);
CREATE INDEX workspaces_class ON workspaces(class_id);

-- A guest of a class: someone who opened the join link without an account and gave a display name. The
-- cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE class_guests (
    id            BIGSERIAL PRIMARY KEY,
    token_hash    CHAR(64)     NOT NULL UNIQUE,
    display_name  VARCHAR(64)  NOT NULL,
    class_id      BIGINT       NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ  NOT NULL
);
