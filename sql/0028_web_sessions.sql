-- Sessions of the web pages under /app (docs/decisions/0018). A browser holds an opaque random session id in an
-- HttpOnly cookie; only its SHA-256 is stored, mapped to the API token it was started with. Every
-- request re-checks that token (revoked, expired, organisation disabled: the session ends), and a
-- session idle for longer than `web.sessionIdleMinutes` ends too. No learner's data, no token secret.

CREATE TABLE web_sessions (
    id_sha256    text        PRIMARY KEY CHECK (id_sha256 ~ '^[0-9a-f]{64}$'),
    token_id     uuid        NOT NULL CONSTRAINT web_sessions_token_id_fkey REFERENCES api_tokens (id),
    -- Sent in a hidden field of every form and compared in constant time (synchroniser token).
    csrf_token   text        NOT NULL CHECK (length(csrf_token) BETWEEN 32 AND 64),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX web_sessions_token_idx ON web_sessions (token_id);
CREATE INDEX web_sessions_last_seen_idx ON web_sessions (last_seen_at);
