-- What a signal needs for its lifecycle, bulk intake and matching (docs/decisions/0008, 0009).
--
-- version: the optimistic-concurrency counter behind the signal's ETag. It starts at 1 and every
--   write to the signal's row (a transition, a link to a school, marking it a duplicate) adds one;
--   a transition names the version it was based on and is refused when the row has moved on.
-- case_reference: the municipality's own case id, from its case system; bulk intake is idempotent
--   on (municipality_code, case_reference). NULL when not given (NULLs never collide).
-- reported_vestigingsnummer: the KvK branch number as reported; 12 digits, leading zeros kept.
-- duplicate_of: set when an inspector links this signal as a duplicate of another (same facts, same
--   reporter). A duplicate is left out of the evidence and of the response-time figures; the
--   original's status is never changed by it.

ALTER TABLE fraud_signals
    ADD COLUMN version                   integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN case_reference            text    NULL CHECK (length(btrim(case_reference)) BETWEEN 1 AND 100),
    ADD COLUMN reported_vestigingsnummer text    NULL CHECK (reported_vestigingsnummer ~ '^[0-9]{12}$'),
    ADD COLUMN duplicate_of              uuid    NULL
        CONSTRAINT fraud_signals_duplicate_of_fkey REFERENCES fraud_signals (id),
    ADD CONSTRAINT fraud_signals_case_reference_key UNIQUE (municipality_code, case_reference),
    ADD CONSTRAINT fraud_signals_not_own_duplicate CHECK (duplicate_of <> id);

-- Linking a signal to a school by a location's vestigingsnummer.
CREATE INDEX fraud_signals_reported_vestigingsnummer_idx ON fraud_signals (reported_vestigingsnummer)
    WHERE reported_vestigingsnummer IS NOT NULL;
-- The duplicates of a signal.
CREATE INDEX fraud_signals_duplicate_of_idx ON fraud_signals (duplicate_of) WHERE duplicate_of IS NOT NULL;
