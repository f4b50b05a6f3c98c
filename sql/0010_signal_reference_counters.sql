-- Per-year counters behind the SIG-YYYY-nnnnnn signal references.
--
-- A signal's transaction runs
--   INSERT INTO signal_reference_counters (year, last) VALUES (:year, 1)
--   ON CONFLICT (year) DO UPDATE SET last = signal_reference_counters.last + 1 RETURNING last
-- which row-locks the year until commit: concurrent intakes queue for the counter, never share a
-- number, and a rolled-back intake gives its number back.

CREATE TABLE signal_reference_counters (
    year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
    -- The last number handed out; six digits in the reference, so at most 999999 signals a year.
    last integer NOT NULL CHECK (last BETWEEN 1 AND 999999)
);
