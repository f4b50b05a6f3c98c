-- Bearer tokens. Only the SHA-256 of a secret is stored; the secret is shown once, at creation.

CREATE TABLE api_tokens (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Lowercase hex SHA-256 of the secret ("dbs_" + base64url of 32 random bytes).
    secret_sha256     text        NOT NULL
        CONSTRAINT api_tokens_secret_sha256_key UNIQUE
        CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    role              text        NOT NULL CHECK (role IN ('buyer', 'signaller', 'inspector', 'analyst', 'admin')),
    municipality_code text        NULL
        CONSTRAINT api_tokens_municipality_code_fkey REFERENCES municipalities (code),
    label             text        NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 200),
    created_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz NULL,
    revoked_by        text        NULL CHECK (length(revoked_by) BETWEEN 1 AND 200),
    expires_at        timestamptz NULL,
    recorded_by       text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    -- Buyers and signallers act for one municipality (Core `Role.needsMunicipality`).
    CONSTRAINT api_tokens_municipality_required
        CHECK (role NOT IN ('buyer', 'signaller') OR municipality_code IS NOT NULL),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
