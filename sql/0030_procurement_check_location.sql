-- A procurement check may be about one location (vestiging) of the school: lock 1 then follows that
-- location's own quality-mark decisions (sql/0029). Kept so that the check can be re-derived exactly.
ALTER TABLE procurement_checks ADD COLUMN location_id uuid NULL,
    ADD CONSTRAINT procurement_checks_location_id_fkey FOREIGN KEY (school_id, location_id) REFERENCES school_locations (school_id, id);
