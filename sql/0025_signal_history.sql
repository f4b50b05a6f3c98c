-- Transaction-time history of the facts of a signal that change after intake (docs/decisions/0014):
-- its status, its school and whether it is a duplicate. Every UPDATE that changes one of
-- them keeps the previous version here with the period it was current (`sys_period`, [from, to)),
-- so an overview can be rebuilt exactly as Dubbelslot knew it at any instant. Texts are not copied:
-- retention (sql/0024) then has nothing to chase here.

ALTER TABLE fraud_signals ADD COLUMN sys_from timestamptz NOT NULL DEFAULT now();
UPDATE fraud_signals SET sys_from = recorded_at;

CREATE TABLE fraud_signal_history (
    id           uuid      NOT NULL CONSTRAINT fraud_signal_history_id_fkey REFERENCES fraud_signals (id),
    school_id    uuid      NULL,
    status       text      NOT NULL,
    duplicate_of uuid      NULL,
    version      integer   NOT NULL,
    sys_period   tstzrange NOT NULL
);

CREATE INDEX fraud_signal_history_school_idx ON fraud_signal_history (school_id) WHERE school_id IS NOT NULL;
CREATE INDEX fraud_signal_history_id_idx ON fraud_signal_history (id);

CREATE FUNCTION fraud_signals_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.school_id, OLD.status, OLD.duplicate_of) IS DISTINCT FROM (NEW.school_id, NEW.status, NEW.duplicate_of) THEN
        -- Two changes in one transaction leave an empty period: that state was never visible.
        INSERT INTO fraud_signal_history (id, school_id, status, duplicate_of, version, sys_period)
        VALUES (OLD.id, OLD.school_id, OLD.status, OLD.duplicate_of, OLD.version, tstzrange(OLD.sys_from, now()));
        NEW.sys_from := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER fraud_signals_keep_history
    BEFORE UPDATE ON fraud_signals
    FOR EACH ROW EXECUTE FUNCTION fraud_signals_keep_history();

-- Every version of every signal with the period it was current (`sys_to` NULL: still current).
-- Texts and other fixed columns come from the signal itself.
CREATE VIEW fraud_signal_versions AS
    SELECT f.id, f.reference, f.municipality_code, f.school_id, f.reported_school_name, f.reported_kvk_number,
           f.reported_place, f.category, f.severity, f.observed_from, f.observed_until, f.summary, f.source,
           f.status, f.received_at, f.recorded_at, f.recorded_by, f.case_reference, f.reported_vestigingsnummer,
           f.duplicate_of, f.version, f.sys_from, NULL::timestamptz AS sys_to
    FROM fraud_signals f
    UNION ALL
    SELECT f.id, f.reference, f.municipality_code, h.school_id, f.reported_school_name, f.reported_kvk_number,
           f.reported_place, f.category, f.severity, f.observed_from, f.observed_until, f.summary, f.source,
           h.status, f.received_at, f.recorded_at, f.recorded_by, f.case_reference, f.reported_vestigingsnummer,
           h.duplicate_of, h.version, lower(h.sys_period), upper(h.sys_period)
    FROM fraud_signal_history h JOIN fraud_signals f ON f.id = h.id
    WHERE NOT isempty(h.sys_period);
