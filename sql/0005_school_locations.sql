-- Locations (vestigingen) of a school: where lessons are given.

CREATE TABLE school_locations (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id         uuid        NOT NULL
        CONSTRAINT school_locations_school_id_fkey REFERENCES schools (id),
    -- KvK vestigingsnummer: exactly 12 digits; not every location has one on record.
    vestigingsnummer  text        NULL
        CONSTRAINT school_locations_vestigingsnummer_key UNIQUE
        CHECK (vestigingsnummer ~ '^[0-9]{12}$'),
    municipality_code text        NOT NULL
        CONSTRAINT school_locations_municipality_code_fkey REFERENCES municipalities (code),
    address           text        NOT NULL CHECK (length(btrim(address)) BETWEEN 1 AND 500),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    -- Target of the composite foreign key that keeps a visit's location at the visited school.
    CONSTRAINT school_locations_school_id_id_key UNIQUE (school_id, id)
);

CREATE INDEX school_locations_municipality_code_idx ON school_locations (municipality_code, school_id);
