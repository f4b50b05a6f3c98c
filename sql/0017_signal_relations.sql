-- Links between two signals made by an inspector (docs/decisions/0009).
--
-- duplicate:     signal_id repeats related_signal_id (same facts, same reporting municipality);
--                fraud_signals.duplicate_of of signal_id points at related_signal_id.
-- corroborating: independent reports of the same school and category by different municipalities;
--                the order of the two carries no meaning.
-- The rules on municipality, school and category are checked by SignalRepository.relate under row
-- locks; the table guarantees one link per unordered pair and no link of a signal to itself.

CREATE TABLE signal_relations (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    signal_id         uuid        NOT NULL
        CONSTRAINT signal_relations_signal_id_fkey REFERENCES fraud_signals (id),
    related_signal_id uuid        NOT NULL
        CONSTRAINT signal_relations_related_signal_id_fkey REFERENCES fraud_signals (id),
    -- Core `SignalRelationKind`.
    kind              text        NOT NULL CHECK (kind IN ('duplicate', 'corroborating')),
    note              text        NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 10000),
    at                timestamptz NOT NULL,
    by                text        NOT NULL CHECK (length(by) BETWEEN 1 AND 200),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
    CONSTRAINT signal_relations_not_self CHECK (signal_id <> related_signal_id),
    CONSTRAINT signal_relations_signal_id_related_signal_id_key UNIQUE (signal_id, related_signal_id)
);

-- One link per unordered pair: (a, b) and (b, a) are the same link.
CREATE UNIQUE INDEX signal_relations_pair_key
    ON signal_relations (least(signal_id, related_signal_id), greatest(signal_id, related_signal_id));
-- The links of a signal from the other side (the unique constraint's index serves signal_id).
CREATE INDEX signal_relations_related_signal_id_idx ON signal_relations (related_signal_id);
