-- A counter per school that every change of the evidence the risk model reads moves forward, in the
-- transaction of the change, so a service can keep a school's assessment of a day and know, by one
-- indexed read, whether it still holds (docs/decisions/0005-assessments-kept-while-evidence-holds.md).
--
-- Triggers, not calls in the store: no write path (the API, the CSV imports, retention, demo data,
-- the benchmark's bulk SQL) can forget it. Statement-level with transition tables: a bulk insert of a
-- million signals moves each school's counter once, not a million times. The row lock of the upsert
-- orders two writers of one school, so the counter moves in commit order: a reader that saw
-- generation g and then read the evidence never labels older evidence with a newer generation.
-- Rows are upserted in school-id order, so two statements touching the same schools lock them in one
-- order.

CREATE TABLE school_evidence_generations (
    school_id uuid PRIMARY KEY REFERENCES schools (id) ON DELETE CASCADE,
    generation bigint NOT NULL
);

CREATE FUNCTION bump_school_evidence_generations(school_ids uuid[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO school_evidence_generations AS g (school_id, generation)
    SELECT DISTINCT s, 1 FROM unnest(school_ids) AS s WHERE s IS NOT NULL ORDER BY s
    ON CONFLICT (school_id) DO UPDATE SET generation = g.generation + 1;
$$;

-- Tables whose rows name their school.
CREATE FUNCTION note_evidence_change_by_school() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(SELECT school_id FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(SELECT school_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

-- Findings: their visit's school.
CREATE FUNCTION note_evidence_change_by_visit() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT v.school_id FROM new_rows n JOIN supervision_visits v ON v.id = n.visit_id));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT v.school_id FROM old_rows o JOIN supervision_visits v ON v.id = o.visit_id));
    END IF;
    RETURN NULL;
END $$;

-- Relations between signals: the schools of both signals.
CREATE FUNCTION note_evidence_change_by_signal_pair() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT f.school_id FROM new_rows n JOIN fraud_signals f ON f.id IN (n.signal_id, n.related_signal_id)));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT f.school_id FROM old_rows o JOIN fraud_signals f ON f.id IN (o.signal_id, o.related_signal_id)));
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('quality_mark_decisions', 'note_evidence_change_by_school'),
        ('supervision_visits', 'note_evidence_change_by_school'),
        ('fraud_signals', 'note_evidence_change_by_school'),
        ('school_replies', 'note_evidence_change_by_school'),
        ('visit_findings', 'note_evidence_change_by_visit'),
        ('signal_relations', 'note_evidence_change_by_signal_pair')) AS v(tbl, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t.tbl || '_evidence_insert', t.tbl, t.fn);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t.tbl || '_evidence_update', t.tbl, t.fn);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t.tbl || '_evidence_delete', t.tbl, t.fn);
    END LOOP;
END $$;
