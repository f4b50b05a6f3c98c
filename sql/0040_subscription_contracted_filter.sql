-- A third kind of subscription filter, "schools we contracted": events about a school reach the
-- subscription when its organisation (a municipality, by CBS code) holds a procurement check on that
-- school decided `proceed` whose contract period runs on the event's date (docs/decisions/0007).
-- Still at most one filter per subscription.

ALTER TABLE webhook_subscriptions
    ADD COLUMN filter_contracted boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT webhook_subscriptions_one_filter
        CHECK (num_nonnulls(filter_school_id, filter_municipality_code, nullif(filter_contracted, false)) <= 1);

-- What the outbox asks per event: the running `proceed` checks of one school.
CREATE INDEX procurement_checks_school_contract_idx ON procurement_checks (school_id, municipality_code, contract_from, contract_to);
