-- Scaled FICTIONAL data for the benchmarks: set-based INSERT … SELECT generate_series in
-- the server (no row-by-row round trips), on top of the demo set. Every school is fictional
-- ("Benchmark Voorbeeld NNNN B.V.", KvK 00090001–00099999, inside the documented fictional range),
-- so synthetic signals and findings never touch a real school.
-- psql variables: :scale (1 = 230 schools / 1,000 signals; 1000 = 1,000 schools / 1,000,000 signals,
-- 300,000 visits, 20,000 quality-mark decisions). Run with psql -v scale=N -f bench/scale.sql.

\set schools 'least(1000, 230 * :scale)'
BEGIN;
SELECT setseed(0.42);

INSERT INTO schools (name, kvk_number, municipality_code, routes, is_fictional, recorded_by)
SELECT 'Benchmark Voorbeeld ' || lpad(i::text, 4, '0') || ' B.V.', lpad((90000 + i)::text, 8, '0'),
       (SELECT code FROM municipalities ORDER BY code OFFSET (i * 7) % (SELECT count(*) FROM municipalities) LIMIT 1),
       ARRAY['b1Route', 'zRoute'], true, 'bench'
FROM generate_series(1, :schools) i
ON CONFLICT (kvk_number) DO NOTHING;

CREATE TEMP TABLE bench_schools AS
SELECT row_number() OVER (ORDER BY kvk_number) AS n, id FROM schools WHERE kvk_number LIKE '0009%' AND is_fictional;
CREATE INDEX ON bench_schools (n);

CREATE TEMP TABLE bench_municipalities AS SELECT row_number() OVER (ORDER BY code) AS n, code FROM municipalities;
CREATE INDEX ON bench_municipalities (n);

-- Quality-mark decisions: 20 × scale, consecutive 200-day periods per school (never overlapping).
INSERT INTO quality_mark_decisions (school_id, status, valid_during, decided_on, recorded_by)
SELECT s.id,
       (ARRAY['grantedFixedTerm', 'grantedFixedTerm', 'grantedFixedTerm', 'suspended', 'grantedFixedTerm', 'withdrawn', 'lapsed'])[1 + k % 7],
       daterange(DATE '2016-01-01' + (k * 200)::int, DATE '2016-01-01' + ((k + 1) * 200)::int),
       DATE '2016-01-01' + (k * 200)::int - 10, 'bench'
FROM bench_schools s, generate_series(0, greatest(1, (20 * :scale) / (SELECT count(*) FROM bench_schools)) - 1) k
WHERE NOT EXISTS (SELECT 1 FROM quality_mark_decisions d WHERE d.school_id = s.id);

-- Supervision visits: 300 × scale over ten years.
INSERT INTO supervision_visits (school_id, kind, announced, visited_on, outcome, recorded_by)
SELECT (SELECT id FROM bench_schools WHERE n = 1 + (i::bigint * 7919) % (SELECT count(*) FROM bench_schools)),
       (ARRAY['classroom', 'financial', 'resultsAudit', 'clientAudit', 'newEntrant', 'followUp'])[1 + i % 6],
       i % 3 = 0, DATE '2016-12-01' + ((i::bigint * 37) % 3650)::int,
       (ARRAY['compliant', 'compliant', 'compliant', 'minorFindings', 'majorFindings', 'accessRefused', 'compliant', 'minorFindings'])[1 + i % 8],
       'bench'
FROM generate_series(1, 300 * :scale) i;

-- Fraud signals: 1,000 × scale over ten years, references in the older form SIG-YYYY-5nnnnn.
INSERT INTO fraud_signals (reference, municipality_code, school_id, reported_school_name, category, severity, observed_from,
                           summary, source, status, received_at, recorded_by)
SELECT 'SIG-' || (2017 + i % 10) || '-' || lpad((500000 + i / 10)::text, 6, '0'),
       (SELECT code FROM bench_municipalities WHERE n = 1 + (i::bigint * 31) % (SELECT count(*) FROM bench_municipalities)),
       (SELECT id FROM bench_schools WHERE n = 1 + (i::bigint * 104729) % (SELECT count(*) FROM bench_schools)),
       'Benchmark Voorbeeld B.V.',
       (ARRAY['lessonsNotGiven', 'kickbacks', 'inducements', 'attendanceFalsified', 'examFraud', 'onaDossierFraud',
              'poorTeaching', 'inspectionGaming', 'financialIrregularities', 'conflictOfInterest', 'other'])[1 + i % 11],
       (ARRAY['low', 'medium', 'medium', 'high'])[1 + i % 4],
       make_date(2017 + i % 10, 1 + (i / 10) % 12, 1),
       'Benchmarkmelding (fictief).',
       (ARRAY['learnerComplaint', 'staffReport', 'ownCaseWork', 'duo', 'otherAuthority', 'media', 'other'])[1 + i % 7],
       (ARRAY['received', 'triaged', 'underInvestigation', 'substantiated', 'unfounded', 'unfounded', 'inconclusive'])[1 + i % 7],
       make_timestamptz(2017 + i % 10, 1 + (i / 10) % 12, 1 + (i / 120) % 28, 9, 0, 0, 'Europe/Amsterdam') + (i % 600) * interval '1 minute',
       'bench'
FROM generate_series(1, 1000 * :scale) i
ON CONFLICT (reference) DO NOTHING;

-- These use the form of references given before numbering per municipality (still valid for old
-- signals); new intake numbers from signal_reference_counters_by_municipality and never meets them.

COMMIT;
ANALYZE;
SELECT (SELECT count(*) FROM schools) AS schools, (SELECT count(*) FROM fraud_signals) AS signals,
       (SELECT count(*) FROM supervision_visits) AS visits, (SELECT count(*) FROM quality_mark_decisions) AS decisions;
