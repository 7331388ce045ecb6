-- Sharing (issue 8): grants on a container's terminals, share links to one terminal, and the guest sessions
-- opened through links. Secrets (link tokens, guest cookies) are stored only as SHA-256 hex digests.

-- A user's role (view or drive) on every terminal of one container.
CREATE TABLE terminal_grants (
    id            BIGSERIAL PRIMARY KEY,
    container_id  VARCHAR(64)  NOT NULL,
    username      VARCHAR(64)  NOT NULL,
    role          VARCHAR(8)   NOT NULL CHECK (role IN ('view', 'drive')),
    granted_by    VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (container_id, username)
);
CREATE INDEX terminal_grants_username ON terminal_grants(username);

-- A link that lets anyone holding it join one terminal as a guest.
CREATE TABLE share_links (
    id            BIGSERIAL PRIMARY KEY,
    token_hash    CHAR(64)     NOT NULL UNIQUE,
    terminal_id   VARCHAR(128) NOT NULL,
    role          VARCHAR(8)   NOT NULL CHECK (role IN ('view', 'drive')),
    created_by    VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ  NOT NULL,
    max_uses      INTEGER      CHECK (max_uses IS NULL OR max_uses > 0),
    uses          INTEGER      NOT NULL DEFAULT 0,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX share_links_terminal ON share_links(terminal_id);

-- A guest's browser session, opened by joining a link; it reaches only that link's terminal.
CREATE TABLE guest_sessions (
    id            BIGSERIAL PRIMARY KEY,
    token_hash    CHAR(64)     NOT NULL UNIQUE,
    link_id       BIGINT       NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
    display_name  VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ  NOT NULL,
    ended_at      TIMESTAMPTZ,
    remote_address VARCHAR(64)
);
CREATE INDEX guest_sessions_link ON guest_sessions(link_id);

-- Guest principals are guest:<name>#<id>. Class guests (workspaces) number theirs from 1 in their own table; link
-- guests start at 10^9 + 1 so the two kinds never share a principal name.
ALTER SEQUENCE guest_sessions_id_seq RESTART WITH 1000000001;
