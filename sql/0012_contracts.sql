-- Contracts (inkooprelaties) between a municipality and a school over a period.

CREATE TABLE contracts (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    municipality_code text        NOT NULL
        CONSTRAINT contracts_municipality_code_fkey REFERENCES municipalities (code),
    school_id         uuid        NOT NULL
        CONSTRAINT contracts_school_id_fkey REFERENCES schools (id),
    -- The three procurement forms of the 2019 letter (shared/GLOSSARY.md).
    procurement_form  text        NOT NULL CHECK (procurement_form IN ('inHouse', 'publicContract', 'openHouse')),
    routes            text[]      NOT NULL
        CHECK (cardinality(routes) > 0
               AND array_position(routes, NULL) IS NULL
               AND routes <@ ARRAY['b1Route', 'educationRoute', 'zRoute']::text[]),
    -- [from, until), as quality_mark_decisions.valid_during.
    period            daterange   NOT NULL
        CHECK (NOT isempty(period) AND lower_inc(period) AND NOT lower_inf(period)),
    status            text        NOT NULL CHECK (status IN ('planned', 'active', 'ended', 'terminated')),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

CREATE INDEX contracts_school_id_idx ON contracts (school_id);
CREATE INDEX contracts_municipality_code_idx ON contracts (municipality_code);
