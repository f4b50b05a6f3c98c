-- The names a school is matched by: its registered name and each trade name, normalised by Core's
-- SchoolNameNormalizer (case, diacritics, IJ/Ĳ, apostrophes, punctuation, legal-form words).
--
-- The normalisation is Swift, not SQL, so that a municipality's report and the register are folded
-- by the same code; this table is therefore written by the store (SchoolRepository.create/upsert and
-- DemoDataWriter, in the school's own transaction) and rebuilt by SchoolRepository.rebuildNameKeys(),
-- which `dubbelslot migrate` and the local setup run after migrating. A name that normalises to the
-- empty string (only non-Latin script, only a legal form) gets no row and so never matches.

CREATE TABLE school_name_keys (
    school_id       uuid NOT NULL
        CONSTRAINT school_name_keys_school_id_fkey REFERENCES schools (id),
    normalized_name text NOT NULL CHECK (length(normalized_name) > 0),
    PRIMARY KEY (school_id, normalized_name)
);

-- Trigram similarity (pg_trgm `%`, similarity()) of a reported name against every key.
CREATE INDEX school_name_keys_trgm_idx ON school_name_keys USING gin (normalized_name gin_trgm_ops);
