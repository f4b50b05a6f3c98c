-- Idempotency-Key of signal intake (docs/decisions/0008), per reporting municipality.
--
-- The intake transaction inserts the key first (INSERT … ON CONFLICT DO NOTHING), then the signal:
-- a concurrent request with the same key waits on the key's unique index until the first commits,
-- then finds its row. The same key with another request_sha256 is refused. The foreign key to the
-- signal is checked at commit, because the key row is written before the signal it names.

CREATE TABLE idempotency_keys (
    municipality_code text        NOT NULL
        CONSTRAINT idempotency_keys_municipality_code_fkey REFERENCES municipalities (code),
    key               text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    -- Lowercase hex SHA-256 of the request as the API canonicalised it.
    request_sha256    text        NOT NULL CHECK (request_sha256 ~ '^[0-9a-f]{64}$'),
    signal_id         uuid        NOT NULL
        CONSTRAINT idempotency_keys_signal_id_fkey REFERENCES fraud_signals (id) DEFERRABLE INITIALLY DEFERRED,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (municipality_code, key)
);
