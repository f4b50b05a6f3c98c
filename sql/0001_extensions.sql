-- Extensions the schema relies on. All three ship with PostgreSQL's contrib packages and are
-- "trusted" since PostgreSQL 13, so a database owner may create them without superuser rights.
-- gen_random_uuid() is built in since PostgreSQL 13; pgcrypto is not needed.

-- btree_gist: lets an exclusion constraint combine `school_id WITH =` and `valid_during WITH &&`.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- pg_trgm: trigram indexes for substring and similarity search on school names.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent: diacritic-insensitive search ("Cafe" finds "Café").
CREATE EXTENSION IF NOT EXISTS unaccent;
