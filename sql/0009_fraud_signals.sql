-- Fraud signals: reports, by a municipality, of suspected abuse at a school. An allegation, not a
-- finding (shared/DESIGN.md). The reported school is kept as given; school_id is set once matched.

CREATE TABLE fraud_signals (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- SIG-YYYY-nnnnnn: YYYY the year received (Europe/Amsterdam), nnnnnn from signal_reference_counters.
    reference            text        NOT NULL
        CONSTRAINT fraud_signals_reference_key UNIQUE
        CHECK (reference ~ '^SIG-[0-9]{4}-[0-9]{6}$'),
    municipality_code    text        NOT NULL
        CONSTRAINT fraud_signals_municipality_code_fkey REFERENCES municipalities (code),
    school_id            uuid        NULL
        CONSTRAINT fraud_signals_school_id_fkey REFERENCES schools (id),
    reported_school_name text        NOT NULL CHECK (length(btrim(reported_school_name)) BETWEEN 1 AND 300),
    reported_kvk_number  text        NULL CHECK (reported_kvk_number ~ '^[0-9]{8}$'),
    reported_place       text        NULL CHECK (length(reported_place) BETWEEN 1 AND 200),
    -- The modus operandi reported since 2017 (Core `SignalCategory`).
    category             text        NOT NULL CHECK (category IN (
        'lessonsNotGiven', 'kickbacks', 'inducements', 'attendanceFalsified', 'examFraud',
        'onaDossierFraud', 'poorTeaching', 'inspectionGaming', 'financialIrregularities',
        'conflictOfInterest', 'other')),
    severity             text        NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    -- The period in which the reported facts took place, half-open: observed_until EXCLUSIVE (the API
    -- convention: every …Until is exclusive), NULL while ongoing.
    observed_from        date        NOT NULL,
    observed_until       date        NULL CHECK (observed_until > observed_from),
    summary              text        NOT NULL CHECK (length(btrim(summary)) BETWEEN 1 AND 10000),
    source               text        NOT NULL CHECK (source IN (
        'learnerComplaint', 'staffReport', 'ownCaseWork', 'duo', 'otherAuthority', 'media', 'other')),
    -- The current status; its history is in signal_transitions.
    status               text        NOT NULL CHECK (status IN (
        'received', 'triaged', 'underInvestigation', 'substantiated', 'unfounded', 'inconclusive')),
    received_at          timestamptz NOT NULL DEFAULT now(),
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    recorded_by          text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

-- Evidence for a school (EvidenceRepository) and a school's signal list.
CREATE INDEX fraud_signals_school_id_idx ON fraud_signals (school_id, received_at DESC, id DESC)
    WHERE school_id IS NOT NULL;
-- Signal pages are ordered by (received_at DESC, id DESC).
CREATE INDEX fraud_signals_received_at_id_idx ON fraud_signals (received_at DESC, id DESC);
CREATE INDEX fraud_signals_municipality_code_idx ON fraud_signals (municipality_code, received_at DESC, id DESC);
-- Linking a signal to a school by the reported KvK number.
CREATE INDEX fraud_signals_reported_kvk_number_idx ON fraud_signals (reported_kvk_number)
    WHERE reported_kvk_number IS NOT NULL;
