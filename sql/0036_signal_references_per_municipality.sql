-- Signal references per municipality and year: SIG-GM0363-2026-000123.
--
-- One counter row per year made every intake in the country wait for every other (the row stays
-- locked until its transaction commits). With one row per municipality and year, a signal of one
-- municipality never waits for another's; within a municipality numbers stay gap-free (a rolled-back
-- intake gives its number back). References handed out before this migration (SIG-YYYY-nnnnnn) stay
-- what they are, and their counters stay in signal_reference_counters.

CREATE TABLE signal_reference_counters_by_municipality (
    municipality_code text    NOT NULL
        CONSTRAINT signal_reference_counters_municipality_code_fkey REFERENCES municipalities (code),
    year              integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    -- The last number handed out; six digits in the reference, so at most 999999 a municipality a year.
    last              integer NOT NULL CHECK (last BETWEEN 1 AND 999999),
    PRIMARY KEY (municipality_code, year)
);

ALTER TABLE fraud_signals DROP CONSTRAINT fraud_signals_reference_check;
ALTER TABLE fraud_signals ADD CONSTRAINT fraud_signals_reference_check
    CHECK (reference ~ '^SIG-[0-9]{4}-[0-9]{6}$'
           OR (reference ~ '^SIG-GM[0-9]{4}-[0-9]{4}-[0-9]{6}$' AND substr(reference, 5, 6) = municipality_code));
