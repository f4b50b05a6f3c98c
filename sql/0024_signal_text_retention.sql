-- Retention of signal texts (docs/decisions/0013; Core RetentionPolicy). `dubbelslot retention run`
-- replaces the free text of due signals (summary, case reference, and the notes of their transitions,
-- forwards, relations, school links and rejected candidates) and records here when it first did.
-- The facts the risk model counts (category, severity, status, dates, school, municipality) stay.

ALTER TABLE fraud_signals
    ADD COLUMN text_removed_at timestamptz NULL;

-- The unfounded rule looks up when a signal was concluded unfounded.
CREATE INDEX signal_transitions_to_status_idx ON signal_transitions (signal_id, to_status, at);
