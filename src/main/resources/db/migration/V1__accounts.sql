-- Accounts and their login sessions.
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL UNIQUE,
    display_name  VARCHAR(128) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    role          VARCHAR(16)  NOT NULL CHECK (role IN ('admin', 'user')),
    disabled      BOOLEAN      NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_login_at TIMESTAMPTZ,
    password_changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A browser login. Only a SHA-256 of the cookie value is stored, so a database leak gives no live session.
CREATE TABLE sessions (
    id            BIGSERIAL PRIMARY KEY,
    token_hash    CHAR(64)     NOT NULL UNIQUE,
    csrf_token    VARCHAR(64)  NOT NULL,
    user_id       BIGINT       NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_seen_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ  NOT NULL,
    user_agent    VARCHAR(256),
    remote_address VARCHAR(64)
);
CREATE INDEX sessions_user ON sessions(user_id);
