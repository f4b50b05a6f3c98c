-- Municipalities (gemeenten) as CBS defines them. Reference data, upserted by code on import.
-- Source: CBS "Gebieden in Nederland"; see shared/GLOSSARY.md.

CREATE TABLE municipalities (
    code                 text        PRIMARY KEY CHECK (code ~ '^GM[0-9]{4}$'),
    name                 text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    province_code        text        NOT NULL CHECK (province_code ~ '^PV[0-9]{2}$'),
    province_name        text        NOT NULL CHECK (length(province_name) BETWEEN 1 AND 200),
    labour_market_region text        NULL CHECK (length(labour_market_region) BETWEEN 1 AND 200),
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    recorded_by          text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

-- SchoolRepository.near(_:) looks up the other municipalities of a province.
CREATE INDEX municipalities_province_code_idx ON municipalities (province_code);
