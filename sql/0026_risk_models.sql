-- Versions of the risk model (docs/decisions/0015). A published version is immutable: only its
-- retirement may be recorded. The version current at an instant is the published one with the latest
-- `published_at` at or before it, so exactly one is current at any instant after the first publication
-- (`published_at` is unique). Drafts can be evaluated in shadow mode but are never current.

CREATE TABLE risk_models (
    version        text        PRIMARY KEY CHECK (length(version) BETWEEN 1 AND 50),
    -- Lowercase hex SHA-256 of `weights` in its canonical JSON form (sorted keys).
    content_sha256 text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    -- The canonical JSON text (kept as text so the hash can be recomputed from the exact bytes).
    weights        text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    published_at   timestamptz NULL CONSTRAINT risk_models_published_at_key UNIQUE,
    retired_at     timestamptz NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    recorded_by    text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    CONSTRAINT risk_models_published_has_instant CHECK ((status = 'draft') = (published_at IS NULL)),
    CONSTRAINT risk_models_retired_has_instant CHECK ((status = 'retired') = (retired_at IS NOT NULL))
);

CREATE FUNCTION risk_models_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'risk model % is published and cannot be deleted', OLD.version USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'draft' THEN
        RETURN NEW;  -- a draft may be replaced or published
    END IF;
    IF (NEW.version, NEW.content_sha256, NEW.weights, NEW.published_at, NEW.recorded_at, NEW.recorded_by)
       IS DISTINCT FROM (OLD.version, OLD.content_sha256, OLD.weights, OLD.published_at, OLD.recorded_at, OLD.recorded_by)
       OR (OLD.status = 'retired' AND NEW IS DISTINCT FROM OLD)
       OR NEW.status = 'draft' THEN
        RAISE EXCEPTION 'risk model % is published and immutable; publish a new version instead', OLD.version
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER risk_models_guard
    BEFORE UPDATE OR DELETE ON risk_models
    FOR EACH ROW EXECUTE FUNCTION risk_models_guard();
