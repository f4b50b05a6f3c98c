-- The audit log in two steps, as transparency logs keep theirs (Certificate Transparency, RFC 6962;
-- Trillian): a write appends its entry to audit_pending in its own transaction, without any global
-- lock, with the hash of the entry's content; one sequencer per database (chosen by an advisory
-- lock) moves pending entries into audit_log in batches, giving them the gap-free seq and chaining
-- their hashes, within a second of commit. A crash between the steps loses nothing: the entry waits
-- in audit_pending until a sequencer runs. See docs/decisions/0006-audit-log-in-two-steps.md.

CREATE TABLE audit_pending (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- When the writer appended it (clock time, so close to its commit; the wait is measured from here).
    appended_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- The writing transaction's now(), as in audit_log.
    at                 timestamptz NOT NULL,
    actor              text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    actor_role         text        NOT NULL CHECK (length(actor_role) BETWEEN 1 AND 50),
    actor_organisation text        NOT NULL CHECK (length(actor_organisation) BETWEEN 1 AND 100),
    token_id           uuid        NULL,
    action             text        NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    subject            text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    details            jsonb       NOT NULL,
    -- Lowercase hex SHA-256 of the entry's content (AuditLog.contentText), computed by the writer.
    content_hash       text        NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$')
);

-- A pending entry is never changed; only the sequencer removes it, in the transaction that sequences it.
CREATE TRIGGER audit_pending_no_update
    BEFORE UPDATE ON audit_pending
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

-- Entries sequenced from audit_pending carry their content hash (version 2 of the chain: the chained
-- hash covers seq, content hash and prev_hash); entries written before this migration have none and
-- keep version 1. appended_at and sequenced_at show how long each entry waited.
ALTER TABLE audit_log ADD COLUMN content_hash text NULL CHECK (content_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE audit_log ADD COLUMN appended_at timestamptz NULL;
ALTER TABLE audit_log ADD COLUMN sequenced_at timestamptz NULL;

-- Signed checkpoints: the log's size and head hash at a time, signed with the sequencer's Ed25519
-- key. The inspectorate keeps copies; `dubbelslot audit verify --against FILE` proves the log still
-- holds what a kept checkpoint says, so removing the newest entries shows.
CREATE TABLE audit_checkpoints (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The number of entries the checkpoint covers (entries 1…size) and the hash of entry `size`.
    size       bigint      NOT NULL CHECK (size >= 1),
    head_hash  text        NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
    at         timestamptz NOT NULL,
    -- Lowercase hex SHA-256 of the raw 32-byte Ed25519 public key.
    key_id     text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{64}$'),
    -- Base64 of the raw 32-byte public key and of the 64-byte signature over AuditCheckpoint.signedText.
    public_key text        NOT NULL CHECK (length(public_key) = 44),
    signature  text        NOT NULL CHECK (length(signature) = 88)
);

CREATE INDEX audit_checkpoints_at_idx ON audit_checkpoints (at DESC, id DESC);

CREATE TRIGGER audit_checkpoints_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

REVOKE UPDATE ON audit_pending FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM PUBLIC;
