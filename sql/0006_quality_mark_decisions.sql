-- Quality-mark decisions (Blik op Werk Keurmerk Inburgeren), each in force over a half-open period.

CREATE TABLE quality_mark_decisions (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id    uuid        NOT NULL
        CONSTRAINT quality_mark_decisions_school_id_fkey REFERENCES schools (id),
    status       text        NOT NULL CHECK (status IN (
        'aspirant', 'grantedFixedTerm', 'grantedIndefinite', 'suspended',
        'withdrawn', 'notGranted', 'lapsed', 'stopped')),
    -- [from, until): a start is required, an open end means "until further notice".
    valid_during daterange   NOT NULL
        CHECK (NOT isempty(valid_during) AND lower_inc(valid_during) AND NOT lower_inf(valid_during)),
    decided_on   date        NOT NULL,
    reference    text        NULL CHECK (length(reference) BETWEEN 1 AND 100),
    reason       text        NULL CHECK (length(reason) <= 10000),
    -- An objection (bezwaar) or appeal (beroep) against this decision, when one was lodged.
    objection    text        NULL CHECK (length(objection) <= 10000),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    -- A school's periods never overlap (shared/DESIGN.md); violations raise SQLSTATE 23P01.
    CONSTRAINT quality_mark_decisions_no_overlap
        EXCLUDE USING gist (school_id WITH =, valid_during WITH &&)
);
-- The exclusion constraint's gist index on (school_id, valid_during) also serves lookups by school.
