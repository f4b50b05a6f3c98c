-- Findings of a supervision visit: judged deviations from a norm of the quality-mark handbook.

CREATE TABLE visit_findings (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    visit_id    uuid        NOT NULL
        CONSTRAINT visit_findings_visit_id_fkey REFERENCES supervision_visits (id),
    -- Position in the list as the inspector recorded it, from 0.
    ordinal     integer     NOT NULL CHECK (ordinal >= 0),
    norm_code   text        NOT NULL CHECK (length(norm_code) BETWEEN 1 AND 32),
    severity    text        NOT NULL CHECK (severity IN ('minor', 'major')),
    note        text        NULL CHECK (length(note) <= 10000),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    CONSTRAINT visit_findings_visit_id_ordinal_key UNIQUE (visit_id, ordinal)
);
