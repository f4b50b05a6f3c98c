-- Forwarding marks of a signal (docs/decisions/0008): passed on to the quality-mark body or to the
-- inspectorate. A mark beside the status, never a status: forwarding does not end the case. Rows are
-- only ever added.

CREATE TABLE signal_forwards (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    signal_id   uuid        NOT NULL
        CONSTRAINT signal_forwards_signal_id_fkey REFERENCES fraud_signals (id),
    -- Core `SignalForwardTarget`.
    target      text        NOT NULL CHECK (target IN ('qualityMarkBody', 'inspectorate')),
    note        text        NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 10000),
    at          timestamptz NOT NULL,
    -- Who forwarded ("role:tokenId" or "cli:<user>").
    by          text        NOT NULL CHECK (length(by) BETWEEN 1 AND 200),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

CREATE INDEX signal_forwards_signal_id_idx ON signal_forwards (signal_id, at);
