-- What a buyer was shown before contracting (or refusing) a school, and what the buyer decided
-- (docs/decisions/0016; CJEU C-634/21 SCHUFA: a human decides, and can show why).
-- Never edited or deleted: the decision is a row of its own, at most one per check.

CREATE TABLE procurement_checks (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    municipality_code text        NOT NULL CONSTRAINT procurement_checks_municipality_code_fkey REFERENCES municipalities (code),
    school_id         uuid        NOT NULL CONSTRAINT procurement_checks_school_id_fkey REFERENCES schools (id),
    route             text        NULL,
    contract_from     date        NOT NULL,
    contract_to       date        NULL CHECK (contract_to >= contract_from),
    -- The knowledge cut-off and the business date of the assessment.
    as_of             timestamptz NOT NULL,
    assessed_on       date        NOT NULL,
    model_version     text        NOT NULL CONSTRAINT procurement_checks_model_version_fkey REFERENCES risk_models (version),
    input_sha256      text        NOT NULL CHECK (input_sha256 ~ '^[0-9a-f]{64}$'),
    verdict           text        NOT NULL CHECK (verdict IN ('clear', 'caution', 'blocked')),
    -- The assessment exactly as shown, in its canonical JSON form (text: byte-exact).
    assessment        text        NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

CREATE INDEX procurement_checks_school_idx ON procurement_checks (school_id, recorded_at);
CREATE INDEX procurement_checks_municipality_idx ON procurement_checks (municipality_code, recorded_at);

CREATE TABLE procurement_decisions (
    check_id    uuid        PRIMARY KEY CONSTRAINT procurement_decisions_check_id_fkey REFERENCES procurement_checks (id),
    decision    text        NOT NULL CHECK (decision IN ('proceed', 'doNotProceed', 'deferred')),
    reason      text        NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 4000),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

CREATE FUNCTION procurement_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or removed: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER procurement_checks_no_change BEFORE UPDATE OR DELETE ON procurement_checks
    FOR EACH ROW EXECUTE FUNCTION procurement_refuse_change();
CREATE TRIGGER procurement_decisions_no_change BEFORE UPDATE OR DELETE ON procurement_decisions
    FOR EACH ROW EXECUTE FUNCTION procurement_refuse_change();

-- A school's reply to a finding or a signal, entered by an inspector on the school's behalf
-- (docs/decisions/0016). Shown beside that evidence in every overview.
CREATE TABLE school_replies (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    subject_kind text        NOT NULL CHECK (subject_kind IN ('signal', 'finding')),
    subject_id   uuid        NOT NULL,
    school_id    uuid        NOT NULL CONSTRAINT school_replies_school_id_fkey REFERENCES schools (id),
    reply        text        NOT NULL CHECK (length(btrim(reply)) BETWEEN 1 AND 10000),
    received_on  date        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

CREATE INDEX school_replies_school_idx ON school_replies (school_id, recorded_at);
CREATE INDEX school_replies_subject_idx ON school_replies (subject_kind, subject_id);
