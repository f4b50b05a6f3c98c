-- Webhook subscriptions and their outbox: an organisation registers a URL for event types, events
-- are written to webhook_outbox in the same transaction as the change they report (the transactional
-- outbox pattern), and a delivery service posts them with Standard Webhooks signatures
-- (https://www.standardwebhooks.com), retrying with backoff for 24 hours. Each try is kept in
-- webhook_attempts. Payloads are CloudEvents 1.0 structured JSON envelopes (NL GOV profile for
-- CloudEvents) carrying ids and statuses only, never signal text.

CREATE TABLE webhook_subscriptions (
    id                       uuid        PRIMARY KEY,
    organisation_id          text        NOT NULL
        CONSTRAINT webhook_subscriptions_organisation_id_fkey REFERENCES organisations (id),
    -- https only; plain http only to the loopback host, for tests and local receivers.
    url                      text        NOT NULL CHECK (length(url) BETWEEN 9 AND 2000
        AND (url ~ '^https://[^/?#]+' OR url ~ '^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?(/|$)')),
    -- CloudEvents `type`s, such as nl.dubbelslot.quality-mark.decision-recorded.
    events                   text[]      NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 20),
    -- At most one filter: a school, or the schools located in a municipality; none: every school.
    filter_school_id         uuid        NULL
        CONSTRAINT webhook_subscriptions_filter_school_id_fkey REFERENCES schools (id),
    filter_municipality_code text        NULL
        CONSTRAINT webhook_subscriptions_filter_municipality_code_fkey REFERENCES municipalities (code),
    -- The signing secret as Standard Webhooks writes it: `whsec_` and the base64 of 32 random bytes.
    -- Kept in the clear because the signature (HMAC-SHA256) needs the key itself; shown once when created.
    secret                   text        NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/]{43}=$'),
    created_at               timestamptz NOT NULL DEFAULT now(),
    recorded_by              text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    -- A deleted subscription keeps its row, so its deliveries stay answerable; nothing new is queued for it.
    deleted_at               timestamptz NULL,
    deleted_by               text        NULL CHECK (length(deleted_by) BETWEEN 1 AND 200),
    CHECK (filter_school_id IS NULL OR filter_municipality_code IS NULL),
    CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
);

CREATE INDEX webhook_subscriptions_organisation_idx ON webhook_subscriptions (organisation_id, created_at);
CREATE INDEX webhook_subscriptions_events_idx ON webhook_subscriptions USING gin (events) WHERE deleted_at IS NULL;

CREATE TABLE webhook_outbox (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id uuid        NOT NULL
        CONSTRAINT webhook_outbox_subscription_id_fkey REFERENCES webhook_subscriptions (id),
    -- The CloudEvents `id`, sent as `webhook-id`: the same for every subscription the event goes to.
    event_id        uuid        NOT NULL,
    type            text        NOT NULL CHECK (length(type) BETWEEN 1 AND 200),
    -- The CloudEvents 1.0 structured JSON envelope, posted as the body.
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    delivered_at    timestamptz NULL,
    -- Set when tries stop without a 2xx (24 hours after created_at).
    failed_at       timestamptz NULL,
    last_status     int         NULL,
    last_error      text        NULL CHECK (length(last_error) <= 1000),
    UNIQUE (subscription_id, event_id),
    CHECK (delivered_at IS NULL OR failed_at IS NULL)
);

-- What the delivery service claims: due rows neither delivered nor failed.
CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_outbox_subscription_idx ON webhook_outbox (subscription_id, created_at DESC);

CREATE TABLE webhook_attempts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id   uuid        NOT NULL CONSTRAINT webhook_attempts_outbox_id_fkey REFERENCES webhook_outbox (id),
    at          timestamptz NOT NULL DEFAULT now(),
    -- The receiver's HTTP status, or NULL when there was none (connection refused, timeout: see error).
    status      int         NULL,
    error       text        NULL CHECK (length(error) <= 1000),
    duration_ms int         NOT NULL CHECK (duration_ms >= 0),
    CHECK (status IS NOT NULL OR error IS NOT NULL)
);

CREATE INDEX webhook_attempts_outbox_idx ON webhook_attempts (outbox_id, at);
