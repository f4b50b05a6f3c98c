-- Two aids to the risk report's figures over a million signals.
--
-- Each signal's day of receipt in Europe/Amsterdam, kept with the row, so that report figures
-- compare and join days instead of converting every instant: at 1,000× volume the
-- conversion `received_at AT TIME ZONE 'Europe/Amsterdam'` was 1.4 s of the response times' 2 s.
--
-- A stored generated column: every write path (the API, the CSV imports, demo data, the benchmark's
-- bulk SQL) gets it without being told. PostgreSQL holds `timezone(text, timestamptz)` immutable, as
-- the risk terms' anchor dates (sql/0039) already rely on: should the time-zone rules of past dates
-- ever change, a migration must recompute both.
ALTER TABLE fraud_signals
    ADD COLUMN received_on date GENERATED ALWAYS AS ((received_at AT TIME ZONE 'Europe/Amsterdam')::date) STORED;

-- The signal statistics' per-school figures (reporting municipalities, categories, statuses) read
-- signals in school and municipality order from this index alone: the municipalities are then counted
-- as the rows come, without a hash table of every (school, municipality) pair. At 1,000× volume the
-- statement took 1.4 s this way against 2.1 s from the table.
CREATE INDEX fraud_signals_school_municipality_idx ON fraud_signals (school_id, municipality_code)
    INCLUDE (received_at, category, status) WHERE duplicate_of IS NULL;
