-- Organisations that hold tokens: a municipality (its CBS code) or a national body (a slug such as
-- `blik-op-werk` or `inspectorate`). Disabling one refuses every token it holds from the next request
-- on, however valid the token is otherwise (docs/decisions/0011).

CREATE TABLE organisations (
    id          text        PRIMARY KEY CHECK (id ~ '^(GM[0-9]{4}|[a-z][a-z0-9-]{1,62})$'),
    disabled_at timestamptz NULL,
    disabled_by text        NULL CHECK (length(disabled_by) BETWEEN 1 AND 200),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    CHECK ((disabled_at IS NULL) = (disabled_by IS NULL))
);

-- Existing tokens belong to their municipality, or to the body their role stands for.
INSERT INTO organisations (id, recorded_by)
SELECT DISTINCT coalesce(municipality_code, CASE role WHEN 'inspector' THEN 'blik-op-werk'
                                                      WHEN 'analyst' THEN 'inspectorate' ELSE 'operator' END), 'migration:0022'
FROM api_tokens;

ALTER TABLE api_tokens ADD COLUMN organisation_id text NULL
    CONSTRAINT api_tokens_organisation_id_fkey REFERENCES organisations (id);

UPDATE api_tokens SET organisation_id = coalesce(municipality_code, CASE role WHEN 'inspector' THEN 'blik-op-werk'
                                                                          WHEN 'analyst' THEN 'inspectorate' ELSE 'operator' END);

ALTER TABLE api_tokens ALTER COLUMN organisation_id SET NOT NULL;
