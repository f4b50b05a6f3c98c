-- The audit log: append-only, hash-chained (prev_hash, hash). Structure only: writing the chain
-- and `dubbelslot audit verify` come with their own issue.

CREATE TABLE audit_log (
    seq       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    -- "role:tokenId" or "cli:<user>".
    actor     text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    action    text        NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    subject   text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    details   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- Lowercase hex SHA-256; NULL only for the first entry.
    prev_hash text        NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash      text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX audit_log_subject_idx ON audit_log (subject, seq);
