-- Audit log (dev.berth.audit): who did what, to what, from where. Append-only; pruned by age and count
-- (berth.audit.max-age, berth.audit.max-entries). Newest first by id, which follows time (one writer).
CREATE TABLE audit_log (
    id       BIGSERIAL    PRIMARY KEY,
    at       TIMESTAMPTZ  NOT NULL,
    actor    VARCHAR(160) NOT NULL,
    action   VARCHAR(64)  NOT NULL,
    target   VARCHAR(512),
    detail   VARCHAR(4096),
    address  VARCHAR(64)
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE INDEX audit_log_action ON audit_log(action, id);

-- Personal API tokens (dev.berth.auth): only a SHA-256 of the secret is stored.
CREATE TABLE api_tokens (
    id           BIGSERIAL    PRIMARY KEY,
    user_id      BIGINT       NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    token_hash   CHAR(64)     NOT NULL UNIQUE,
    prefix       VARCHAR(16)  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
