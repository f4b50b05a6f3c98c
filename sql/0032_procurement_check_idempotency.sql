-- A procurement check asked twice (a double-clicked form, a retry after a lost answer) is recorded
-- once: an optional Idempotency-Key per municipality, with the SHA-256 of what was asked, so the same
-- key with another question is refused rather than answered with the first check.

ALTER TABLE procurement_checks
    ADD COLUMN idempotency_key text NULL CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200),
    ADD COLUMN request_sha256 text NULL CHECK (request_sha256 IS NULL OR request_sha256 ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT procurement_checks_key_has_hash CHECK ((idempotency_key IS NULL) = (request_sha256 IS NULL)),
    ADD CONSTRAINT procurement_checks_idempotency_key UNIQUE (municipality_code, idempotency_key);
