-- Schools (taalscholen), identified by their KvK number: exactly 8 digits, leading zeros kept.

CREATE TABLE schools (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name              text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
    trade_names       text[]      NOT NULL DEFAULT '{}'
        CHECK (array_position(trade_names, NULL) IS NULL),
    kvk_number        text        NOT NULL
        CONSTRAINT schools_kvk_number_key UNIQUE
        CHECK (kvk_number ~ '^[0-9]{8}$'),
    municipality_code text        NOT NULL
        CONSTRAINT schools_municipality_code_fkey REFERENCES municipalities (code),
    -- The learning routes of the Wet inburgering 2021 the school offers (Core `Route`).
    routes            text[]      NOT NULL DEFAULT '{}'
        CHECK (array_position(routes, NULL) IS NULL
               AND routes <@ ARRAY['b1Route', 'educationRoute', 'zRoute']::text[]),
    -- Demo schools: synthetic signals and findings only ever attach to these (shared/DESIGN.md).
    is_fictional      boolean     NOT NULL DEFAULT false,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

-- Search pages are ordered by (name, id).
CREATE INDEX schools_name_id_idx ON schools (name, id);
CREATE INDEX schools_municipality_code_idx ON schools (municipality_code);
-- Substring (LIKE '%q%') and word-similarity (<%) search on name and trade names.
CREATE INDEX schools_search_trgm_idx ON schools USING gin (school_search_text(name, trade_names) gin_trgm_ops);
