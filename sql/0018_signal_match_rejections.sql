-- An inspector's "not this school" for a signal (docs/decisions/0009): the school is
-- never proposed again as a candidate for that signal.

CREATE TABLE signal_match_rejections (
    signal_id   uuid        NOT NULL
        CONSTRAINT signal_match_rejections_signal_id_fkey REFERENCES fraud_signals (id),
    school_id   uuid        NOT NULL
        CONSTRAINT signal_match_rejections_school_id_fkey REFERENCES schools (id),
    note        text        NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 10000),
    at          timestamptz NOT NULL,
    by          text        NOT NULL CHECK (length(by) BETWEEN 1 AND 200),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    PRIMARY KEY (signal_id, school_id)
);
