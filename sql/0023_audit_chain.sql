-- The audit chain (docs/decisions/0012): every write and every read of a signal's full text appends one
-- row in the writer's own transaction. Rows are linked by `prev_hash` and `hash`; the canonical text
-- that is hashed is built by `AuditLog.canonicalText` (Sources/DubbelslotStore/Audit) from the stored
-- values only, so `dubbelslot audit verify` can recompute every hash from the table.

-- `seq` is gap-free: set by the appender under `pg_advisory_xact_lock`, never by a sequence (an
-- identity leaves gaps on rollback, and a gap must mean a deleted row).
ALTER TABLE audit_log ALTER COLUMN seq DROP IDENTITY IF EXISTS;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_positive CHECK (seq >= 1);

-- Who acted: role and organisation come from the token (`role:<uuid>` actors) or are "operator" for
-- the command line (`cli:<user>`). Defaults only fill rows written before this migration (there are none).
ALTER TABLE audit_log ADD COLUMN actor_role text NOT NULL DEFAULT 'operator'
    CHECK (length(actor_role) BETWEEN 1 AND 50);
ALTER TABLE audit_log ADD COLUMN actor_organisation text NOT NULL DEFAULT 'operator'
    CHECK (length(actor_organisation) BETWEEN 1 AND 100);
ALTER TABLE audit_log ADD COLUMN token_id uuid NULL;
ALTER TABLE audit_log ALTER COLUMN actor_role DROP DEFAULT;
ALTER TABLE audit_log ALTER COLUMN actor_organisation DROP DEFAULT;
-- `at` is the writing transaction's `now()`; the hash covers it in whole microseconds since the epoch.
ALTER TABLE audit_log ALTER COLUMN at DROP DEFAULT;

-- One row has no predecessor: the first.
CREATE UNIQUE INDEX audit_log_prev_hash_key ON audit_log (prev_hash);
ALTER TABLE audit_log ADD CONSTRAINT audit_log_first_has_no_prev CHECK ((seq = 1) = (prev_hash IS NULL));

-- Append-only. The trigger refuses even the table's owner; only a superuser who disables user
-- triggers (or sets session_replication_role) can change a row, and `audit verify` then finds it.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; append a correcting entry instead.';
END
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
