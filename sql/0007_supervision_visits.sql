-- Supervision visits (toezichtbezoeken) of the quality-mark body.

CREATE TABLE supervision_visits (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id   uuid        NOT NULL
        CONSTRAINT supervision_visits_school_id_fkey REFERENCES schools (id),
    location_id uuid        NULL,
    kind        text        NOT NULL CHECK (kind IN (
        'classroom', 'financial', 'resultsAudit', 'clientAudit', 'newEntrant', 'followUp')),
    announced   boolean     NOT NULL,
    visited_on  date        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN (
        'compliant', 'minorFindings', 'majorFindings', 'accessRefused')),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    -- The visited location must belong to the visited school (no check when location_id is NULL).
    CONSTRAINT supervision_visits_location_id_fkey
        FOREIGN KEY (school_id, location_id) REFERENCES school_locations (school_id, id)
);

CREATE INDEX supervision_visits_school_id_idx ON supervision_visits (school_id, visited_on DESC, id);
