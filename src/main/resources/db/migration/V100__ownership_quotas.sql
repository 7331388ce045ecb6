-- Ownership and quotas (issue 8).
-- Whether a user may pull, import, tag and remove images (host-wide objects). Admins always may.
ALTER TABLE users ADD COLUMN may_pull BOOLEAN NOT NULL DEFAULT TRUE;

-- Resource quotas for a role ('admin', 'user', ...) or one user. A user's own row replaces their role's row as a
-- whole; no row: unlimited. NULL in a column: that limit is not set (unlimited).
CREATE TABLE quotas (
    scope              VARCHAR(8)  NOT NULL CHECK (scope IN ('role', 'user')),
    name               VARCHAR(64) NOT NULL,
    max_running        INTEGER     CHECK (max_running >= 0),
    max_memory_bytes   BIGINT      CHECK (max_memory_bytes > 0),
    max_nano_cpus      BIGINT      CHECK (max_nano_cpus > 0),
    max_pids           BIGINT      CHECK (max_pids > 0),
    total_memory_bytes BIGINT      CHECK (total_memory_bytes > 0),
    total_nano_cpus    BIGINT      CHECK (total_nano_cpus > 0),
    max_volume_bytes   BIGINT      CHECK (max_volume_bytes >= 0),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by         VARCHAR(64),
    PRIMARY KEY (scope, name)
);
