-- Quality-mark decisions as the quality-mark body takes them (docs/decisions/0001-quality-mark-lifecycle.md):
-- a decision may concern one location (vestiging); a decision valid from D supersedes the decision in
-- force at D for the same scope by ending its period at D; a wrong decision is rectified with a reason,
-- never edited or deleted. Every change to a decision's period or rectification keeps the previous
-- version with the period it was current (`sys_period`), so an overview as of an earlier instant still
-- shows the grant open-ended that a later suspension cut short.

ALTER TABLE quality_mark_decisions
    -- NULL: the whole school. The composite key keeps the location at the decision's school.
    ADD COLUMN location_id uuid NULL,
    ADD CONSTRAINT quality_mark_decisions_location_id_fkey
        FOREIGN KEY (school_id, location_id) REFERENCES school_locations (school_id, id),
    -- The end the decision named (exclusive; NULL open-ended); valid_during ends earlier once superseded.
    ADD COLUMN declared_until date NULL,
    -- The decision that ended this one's period early. Checked at commit: the earlier period is closed
    -- before the new decision is inserted, so the exclusion constraint never sees both open.
    ADD COLUMN ended_by uuid NULL CONSTRAINT quality_mark_decisions_ended_by_fkey REFERENCES quality_mark_decisions (id)
        DEFERRABLE INITIALLY DEFERRED,
    -- Rectification: the decision was recorded in error and counts for nothing from rectified_at on.
    ADD COLUMN rectified_at timestamptz NULL,
    ADD COLUMN rectified_by text NULL CHECK (length(rectified_by) BETWEEN 1 AND 200),
    ADD COLUMN rectification_reason text NULL CHECK (length(rectification_reason) BETWEEN 1 AND 4000),
    ADD CONSTRAINT quality_mark_decisions_rectification_whole
        CHECK ((rectified_at IS NULL) = (rectified_by IS NULL) AND (rectified_at IS NULL) = (rectification_reason IS NULL)),
    -- Start of the current version's system period (transaction time), as fraud_signals.sys_from.
    ADD COLUMN sys_from timestamptz NOT NULL DEFAULT now();

UPDATE quality_mark_decisions SET sys_from = recorded_at, declared_until = upper(valid_during);

-- The periods in force of one scope (the school, or one location) never overlap; rectified decisions
-- no longer count. Violations raise SQLSTATE 23P01.
ALTER TABLE quality_mark_decisions DROP CONSTRAINT quality_mark_decisions_no_overlap;
ALTER TABLE quality_mark_decisions ADD CONSTRAINT quality_mark_decisions_no_overlap
    EXCLUDE USING gist (school_id WITH =, (coalesce(location_id, '00000000-0000-0000-0000-000000000000'::uuid)) WITH =,
                        valid_during WITH &&)
    WHERE (rectified_at IS NULL);
CREATE INDEX quality_mark_decisions_school_idx ON quality_mark_decisions (school_id);

CREATE TABLE quality_mark_decision_history (
    id                   uuid      NOT NULL CONSTRAINT quality_mark_decision_history_id_fkey REFERENCES quality_mark_decisions (id),
    valid_during         daterange NOT NULL,
    ended_by             uuid      NULL,
    rectified_at         timestamptz NULL,
    rectified_by         text      NULL,
    rectification_reason text      NULL,
    sys_period           tstzrange NOT NULL
);
CREATE INDEX quality_mark_decision_history_id_idx ON quality_mark_decision_history (id);

CREATE FUNCTION quality_mark_decisions_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.school_id, OLD.location_id, OLD.status, lower(OLD.valid_during), OLD.declared_until, OLD.decided_on, OLD.reference,
        OLD.reason, OLD.objection, OLD.recorded_at, OLD.recorded_by)
       IS DISTINCT FROM
       (NEW.school_id, NEW.location_id, NEW.status, lower(NEW.valid_during), NEW.declared_until, NEW.decided_on, NEW.reference,
        NEW.reason, NEW.objection, NEW.recorded_at, NEW.recorded_by) THEN
        RAISE EXCEPTION 'a quality-mark decision is never edited: record a new decision or rectify it'
            USING ERRCODE = '42501';
    END IF;
    IF (OLD.valid_during, OLD.ended_by, OLD.rectified_at) IS DISTINCT FROM (NEW.valid_during, NEW.ended_by, NEW.rectified_at) THEN
        -- Two changes in one transaction leave an empty period: that state was never visible.
        INSERT INTO quality_mark_decision_history (id, valid_during, ended_by, rectified_at, rectified_by, rectification_reason, sys_period)
        VALUES (OLD.id, OLD.valid_during, OLD.ended_by, OLD.rectified_at, OLD.rectified_by, OLD.rectification_reason,
                tstzrange(OLD.sys_from, now()));
        NEW.sys_from := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER quality_mark_decisions_keep_history
    BEFORE UPDATE ON quality_mark_decisions
    FOR EACH ROW EXECUTE FUNCTION quality_mark_decisions_keep_history();

CREATE FUNCTION quality_mark_decisions_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'quality-mark decisions are never deleted: rectify a wrong one' USING ERRCODE = '42501';
END
$$;

CREATE TRIGGER quality_mark_decisions_refuse_delete
    BEFORE DELETE ON quality_mark_decisions
    FOR EACH ROW EXECUTE FUNCTION quality_mark_decisions_refuse_delete();

-- Every version of every decision with the period it was current (`sys_to` NULL: still current).
CREATE VIEW quality_mark_decision_versions AS
    SELECT d.id, d.school_id, d.location_id, d.status, d.valid_during, d.declared_until, d.ended_by, d.decided_on,
           d.reference, d.reason, d.objection, d.rectified_at, d.rectified_by, d.rectification_reason,
           d.recorded_at, d.recorded_by, d.sys_from, NULL::timestamptz AS sys_to
    FROM quality_mark_decisions d
    UNION ALL
    SELECT d.id, d.school_id, d.location_id, d.status, h.valid_during, d.declared_until, h.ended_by, d.decided_on,
           d.reference, d.reason, d.objection, h.rectified_at, h.rectified_by, h.rectification_reason,
           d.recorded_at, d.recorded_by, lower(h.sys_period), upper(h.sys_period)
    FROM quality_mark_decision_history h JOIN quality_mark_decisions d ON d.id = h.id
    WHERE NOT isempty(h.sys_period);
