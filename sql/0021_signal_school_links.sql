-- The history of a signal's link to a school (docs/decisions/0009): every time an
-- inspector links a signal to a school, a row, so that fraud_signals.school_id is never overwritten
-- without a trace. school_id is NULL when the link was removed (the linked school was judged
-- "not this school", see signal_match_rejections). The link made at intake by the reported
-- identifiers is not repeated here: the signal's received transition dates it.

CREATE TABLE signal_school_links (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    signal_id   uuid        NOT NULL
        CONSTRAINT signal_school_links_signal_id_fkey REFERENCES fraud_signals (id),
    school_id   uuid        NULL
        CONSTRAINT signal_school_links_school_id_fkey REFERENCES schools (id),
    note        text        NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 10000),
    at          timestamptz NOT NULL,
    by          text        NOT NULL CHECK (length(by) BETWEEN 1 AND 200),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200)
);

CREATE INDEX signal_school_links_signal_id_idx ON signal_school_links (signal_id, at);
