-- The status history of a fraud signal; the first row of every signal goes from NULL to 'received'.

CREATE TABLE signal_transitions (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    signal_id   uuid        NOT NULL
        CONSTRAINT signal_transitions_signal_id_fkey REFERENCES fraud_signals (id),
    from_status text        NULL CHECK (from_status IN (
        'received', 'triaged', 'underInvestigation', 'substantiated', 'unfounded', 'inconclusive')),
    to_status   text        NOT NULL CHECK (to_status IN (
        'received', 'triaged', 'underInvestigation', 'substantiated', 'unfounded', 'inconclusive')),
    at          timestamptz NOT NULL,
    -- Who made the transition ("role:tokenId" or "cli:<user>").
    by          text        NOT NULL CHECK (length(by) BETWEEN 1 AND 200),
    note        text        NULL CHECK (length(note) <= 10000),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    CHECK (from_status IS DISTINCT FROM to_status)
);

CREATE INDEX signal_transitions_signal_id_idx ON signal_transitions (signal_id, at);
