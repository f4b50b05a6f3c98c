-- Risk terms: one narrow row per version of every fact the risk model gives points for (a signal, a
-- supervision visit, a quality-mark decision), with the same system period as that version, so a
-- ranking can sum points with decay in PostgreSQL for any business date and any `asOf` without
-- reading the evidence (docs/decisions/0020-risk-terms-as-a-candidate-bound.md).
--
-- A term holds only what does not depend on the model or the business date: what kind of fact, the
-- key its points are looked up by (`signal/high/substantiated`, `visit/financial/majorFindings`,
-- `decision/suspended`), its business date and, for signals, the reporting municipality. The points
-- per key come from the model in Core (`RiskTerms.weights(for:)`) with each query, so publishing a
-- model needs no fill and drafts and shadow models rank the same way.
--
-- Triggers, as for the evidence generations (sql/0035): no write path (the API, the CSV imports,
-- demo data, the benchmark's bulk SQL) can forget the terms, and they are written in the
-- transaction of the change. `dubbelslot risk verify` recomputes them from the evidence.

CREATE TABLE risk_terms (
    evidence_id       uuid        NOT NULL,
    school_id         uuid        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('signal', 'visit', 'decision')),
    key               text        NOT NULL,
    anchor_date       date        NOT NULL,
    municipality_code text        NULL,
    -- The version's system period [sys_from, sys_to): as fraud_signal_versions and
    -- quality_mark_decision_versions; a visit's is [recorded_at, ∞), as visits are read as of an instant.
    sys_from          timestamptz NOT NULL,
    sys_to            timestamptz NULL
);

-- Signals: a term while the signal names a school and is no duplicate. Its business date is the
-- day of receipt in Europe/Amsterdam, as SignalFact.receivedOn.
CREATE FUNCTION risk_terms_of_signals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Versions whose scored facts changed: close the current term, open the new one.
        UPDATE risk_terms t SET sys_to = now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE t.evidence_id = n.id AND t.sys_to IS NULL
          AND (o.school_id, o.status, o.duplicate_of, o.severity, o.received_at, o.municipality_code)
              IS DISTINCT FROM (n.school_id, n.status, n.duplicate_of, n.severity, n.received_at, n.municipality_code);
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, municipality_code, sys_from)
        SELECT n.id, n.school_id, 'signal', 'signal/' || n.severity || '/' || n.status,
               (n.received_at AT TIME ZONE 'Europe/Amsterdam')::date, n.municipality_code, now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.school_id IS NOT NULL AND n.duplicate_of IS NULL
          AND (o.school_id, o.status, o.duplicate_of, o.severity, o.received_at, o.municipality_code)
              IS DISTINCT FROM (n.school_id, n.status, n.duplicate_of, n.severity, n.received_at, n.municipality_code);
    ELSE
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, municipality_code, sys_from)
        SELECT n.id, n.school_id, 'signal', 'signal/' || n.severity || '/' || n.status,
               (n.received_at AT TIME ZONE 'Europe/Amsterdam')::date, n.municipality_code, n.sys_from
        FROM new_rows n
        WHERE n.school_id IS NOT NULL AND n.duplicate_of IS NULL;
    END IF;
    RETURN NULL;
END $$;

-- Decisions: a term while the decision is not rectified; its business date is the first day of its
-- period. Decisions are never deleted (sql/0029).
CREATE FUNCTION risk_terms_of_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE risk_terms t SET sys_to = now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE t.evidence_id = n.id AND t.sys_to IS NULL
          AND (o.school_id, o.status, lower(o.valid_during), o.rectified_at)
              IS DISTINCT FROM (n.school_id, n.status, lower(n.valid_during), n.rectified_at);
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
        SELECT n.id, n.school_id, 'decision', 'decision/' || n.status, lower(n.valid_during), now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.rectified_at IS NULL
          AND (o.school_id, o.status, lower(o.valid_during), o.rectified_at)
              IS DISTINCT FROM (n.school_id, n.status, lower(n.valid_during), n.rectified_at);
    ELSE
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
        SELECT n.id, n.school_id, 'decision', 'decision/' || n.status, lower(n.valid_during), n.sys_from
        FROM new_rows n
        WHERE n.rectified_at IS NULL;
    END IF;
    RETURN NULL;
END $$;

-- Visits have no history: they are read as of an instant by `recorded_at`, so their term is valid from
-- then on; a changed or deleted visit changes its term for every instant, as it changes the reads.
CREATE FUNCTION risk_terms_of_visits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM risk_terms t USING old_rows o WHERE t.evidence_id = o.id AND t.kind = 'visit';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
        SELECT n.id, n.school_id, 'visit', 'visit/' || n.kind || '/' || n.outcome, n.visited_on, n.recorded_at
        FROM new_rows n;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER risk_terms_signals_insert AFTER INSERT ON fraud_signals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_terms_of_signals();
CREATE TRIGGER risk_terms_signals_update AFTER UPDATE ON fraud_signals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_terms_of_signals();
CREATE TRIGGER risk_terms_decisions_insert AFTER INSERT ON quality_mark_decisions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_terms_of_decisions();
CREATE TRIGGER risk_terms_decisions_update AFTER UPDATE ON quality_mark_decisions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_terms_of_decisions();
CREATE TRIGGER risk_terms_visits_insert AFTER INSERT ON supervision_visits
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_terms_of_visits();
CREATE TRIGGER risk_terms_visits_update AFTER UPDATE ON supervision_visits
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_terms_of_visits();
CREATE TRIGGER risk_terms_visits_delete AFTER DELETE ON supervision_visits
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_terms_of_visits();

-- The terms of what is stored already, every version with its period.
INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, municipality_code, sys_from, sys_to)
SELECT v.id, v.school_id, 'signal', 'signal/' || v.severity || '/' || v.status,
       (v.received_at AT TIME ZONE 'Europe/Amsterdam')::date, v.municipality_code, v.sys_from, v.sys_to
FROM fraud_signal_versions v
WHERE v.school_id IS NOT NULL AND v.duplicate_of IS NULL;

INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from, sys_to)
SELECT d.id, d.school_id, 'decision', 'decision/' || d.status, lower(d.valid_during), d.sys_from, d.sys_to
FROM quality_mark_decision_versions d
WHERE d.rectified_at IS NULL;

INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
SELECT v.id, v.school_id, 'visit', 'visit/' || v.kind || '/' || v.outcome, v.visited_on, v.recorded_at
FROM supervision_visits v;

-- A ranking reads a range of business dates and only these columns (an index-only scan: at 1,000×
-- volume a million terms are summed in about 0.1 s); the triggers find a fact's open term by its id.
CREATE INDEX risk_terms_anchor_idx ON risk_terms (anchor_date)
    INCLUDE (school_id, kind, key, municipality_code, sys_from, sys_to);
CREATE INDEX risk_terms_open_idx ON risk_terms (evidence_id) WHERE sys_to IS NULL;
