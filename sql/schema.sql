--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

--
-- Name: unaccent; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

--
-- Name: EXTENSION unaccent; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION unaccent IS 'text search dictionary that removes accents';

--
-- Name: audit_log_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_log_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; append a correcting entry instead.';
END
$$;

--
-- Name: bump_school_evidence_generations(uuid[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.bump_school_evidence_generations(school_ids uuid[]) RETURNS void
    LANGUAGE sql
    AS $$
    INSERT INTO school_evidence_generations AS g (school_id, generation)
    SELECT DISTINCT s, 1 FROM unnest(school_ids) AS s WHERE s IS NOT NULL ORDER BY s
    ON CONFLICT (school_id) DO UPDATE SET generation = g.generation + 1;
$$;

--
-- Name: dutch_easter_sunday(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.dutch_easter_sunday(y integer) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT make_date(dutch_easter_sunday.y, ((((z.h + z.l) - (7 * z.m)) + 114) / 31), (((((z.h + z.l) - (7 * z.m)) + 114) % 31) + 1)) AS make_date FROM (SELECT x.h, x.l, (((x.a + (11 * x.h)) + (22 * x.l)) / 451) AS m FROM (SELECT w.a, w.h, (((((32 + (2 * w.e)) + (2 * (w.c / 4))) - w.h) - (w.c % 4)) % 7) AS l FROM (SELECT v.a, v.c, v.e, ((((((19 * v.a) + v.b) - (v.b / 4)) - (((v.b - ((v.b + 8) / 25)) + 1) / 3)) + 15) % 30) AS h FROM (SELECT (dutch_easter_sunday.y % 19) AS a, (dutch_easter_sunday.y / 100) AS b, (dutch_easter_sunday.y % 100) AS c, ((dutch_easter_sunday.y / 100) % 4) AS e) v) w) x) z);

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: dutch_working_days; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dutch_working_days (
    day date NOT NULL,
    working boolean NOT NULL,
    ordinal integer NOT NULL
);

--
-- Name: dutch_working_days_between(date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.dutch_working_days_between(from_day date, to_day date) RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT GREATEST(0, (b.ordinal - a.ordinal)) AS "greatest" FROM public.dutch_working_days a, public.dutch_working_days b WHERE ((a.day = dutch_working_days_between.from_day) AND (b.day = dutch_working_days_between.to_day)));

--
-- Name: fold_text(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fold_text(input text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, translate(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(input, 'Ʀ'::text, 'yr'::text), 'Ʃ'::text, 'sh'::text), 'Ǣ'::text, 'ae'::text), 'ǣ'::text, 'ae'::text), 'Ƕ'::text, 'hv'::text), 'Ǽ'::text, 'ae'::text), 'ǽ'::text, 'ae'::text), 'Ȝ'::text, 'gh'::text), 'ȝ'::text, 'gh'::text), 'Ȣ'::text, 'ou'::text), 'ȣ'::text, 'ou'::text), 'ʃ'::text, 'sh'::text), 'ʆ'::text, 'sh'::text), 'ʨ'::text, 'tc'::text), 'ĸŉƆƍƎƏƔƛƜƟƱƷƸƹƺƿǝǮǯǷǾǿȠɅɊɋɐɑɒɔɘəɚɜɝɣɥɩɯɰɵɷɸɹɺɻɿʁʄʇʊʌʍʎʒʓʚʞʮʯẛẟ'::text, 'knodeeglmouzzzzwezzwoonvqqaaaoeeeeeghimmoofrrrrrjtuvwyzzekhhsd'::text)));

--
-- Name: fraud_signals_keep_history(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fraud_signals_keep_history() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF (OLD.school_id, OLD.status, OLD.duplicate_of) IS DISTINCT FROM (NEW.school_id, NEW.status, NEW.duplicate_of) THEN
        -- Two changes in one transaction leave an empty period: that state was never visible.
        INSERT INTO fraud_signal_history (id, school_id, status, duplicate_of, version, sys_period)
        VALUES (OLD.id, OLD.school_id, OLD.status, OLD.duplicate_of, OLD.version, tstzrange(OLD.sys_from, now()));
        NEW.sys_from := now();
    END IF;
    RETURN NEW;
END
$$;

--
-- Name: note_evidence_change_by_school(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.note_evidence_change_by_school() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(SELECT school_id FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(SELECT school_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

--
-- Name: note_evidence_change_by_signal_pair(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.note_evidence_change_by_signal_pair() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT f.school_id FROM new_rows n JOIN fraud_signals f ON f.id IN (n.signal_id, n.related_signal_id)));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT f.school_id FROM old_rows o JOIN fraud_signals f ON f.id IN (o.signal_id, o.related_signal_id)));
    END IF;
    RETURN NULL;
END $$;

--
-- Name: note_evidence_change_by_visit(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.note_evidence_change_by_visit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT v.school_id FROM new_rows n JOIN supervision_visits v ON v.id = n.visit_id));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_school_evidence_generations(ARRAY(
            SELECT v.school_id FROM old_rows o JOIN supervision_visits v ON v.id = o.visit_id));
    END IF;
    RETURN NULL;
END $$;

--
-- Name: procurement_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procurement_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or removed: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

--
-- Name: quality_mark_decisions_keep_history(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.quality_mark_decisions_keep_history() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF (OLD.school_id, OLD.location_id, OLD.status, lower(OLD.valid_during), OLD.declared_until, OLD.decided_on, OLD.reference,
        OLD.reason, OLD.objection, OLD.recorded_at, OLD.recorded_by)
       IS DISTINCT FROM
       (NEW.school_id, NEW.location_id, NEW.status, lower(NEW.valid_during), NEW.declared_until, NEW.decided_on, NEW.reference,
        NEW.reason, NEW.objection, NEW.recorded_at, NEW.recorded_by) THEN
        RAISE EXCEPTION 'a quality-mark decision is never edited: record a new decision or rectify it'
            USING ERRCODE = '42501';
    END IF;
    IF (OLD.valid_during, OLD.ended_by, OLD.rectified_at) IS DISTINCT FROM (NEW.valid_during, NEW.ended_by, NEW.rectified_at) THEN
        -- Two changes in one transaction leave an empty period: that state was never visible.
        INSERT INTO quality_mark_decision_history (id, valid_during, ended_by, rectified_at, rectified_by, rectification_reason, sys_period)
        VALUES (OLD.id, OLD.valid_during, OLD.ended_by, OLD.rectified_at, OLD.rectified_by, OLD.rectification_reason,
                tstzrange(OLD.sys_from, now()));
        NEW.sys_from := now();
    END IF;
    RETURN NEW;
END
$$;

--
-- Name: quality_mark_decisions_refuse_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.quality_mark_decisions_refuse_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'quality-mark decisions are never deleted: rectify a wrong one' USING ERRCODE = '42501';
END
$$;

--
-- Name: risk_models_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.risk_models_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: risk_terms_of_decisions(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.risk_terms_of_decisions() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE risk_terms t SET sys_to = now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE t.evidence_id = n.id AND t.sys_to IS NULL
          AND (o.school_id, o.status, lower(o.valid_during), o.rectified_at)
              IS DISTINCT FROM (n.school_id, n.status, lower(n.valid_during), n.rectified_at);
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
        SELECT n.id, n.school_id, 'decision', 'decision/' || n.status, lower(n.valid_during), now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.rectified_at IS NULL
          AND (o.school_id, o.status, lower(o.valid_during), o.rectified_at)
              IS DISTINCT FROM (n.school_id, n.status, lower(n.valid_during), n.rectified_at);
    ELSE
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
        SELECT n.id, n.school_id, 'decision', 'decision/' || n.status, lower(n.valid_during), n.sys_from
        FROM new_rows n
        WHERE n.rectified_at IS NULL;
    END IF;
    RETURN NULL;
END $$;

--
-- Name: risk_terms_of_signals(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.risk_terms_of_signals() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Versions whose scored facts changed: close the current term, open the new one.
        UPDATE risk_terms t SET sys_to = now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE t.evidence_id = n.id AND t.sys_to IS NULL
          AND (o.school_id, o.status, o.duplicate_of, o.severity, o.received_at, o.municipality_code)
              IS DISTINCT FROM (n.school_id, n.status, n.duplicate_of, n.severity, n.received_at, n.municipality_code);
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, municipality_code, sys_from)
        SELECT n.id, n.school_id, 'signal', 'signal/' || n.severity || '/' || n.status,
               (n.received_at AT TIME ZONE 'Europe/Amsterdam')::date, n.municipality_code, now()
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.school_id IS NOT NULL AND n.duplicate_of IS NULL
          AND (o.school_id, o.status, o.duplicate_of, o.severity, o.received_at, o.municipality_code)
              IS DISTINCT FROM (n.school_id, n.status, n.duplicate_of, n.severity, n.received_at, n.municipality_code);
    ELSE
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, municipality_code, sys_from)
        SELECT n.id, n.school_id, 'signal', 'signal/' || n.severity || '/' || n.status,
               (n.received_at AT TIME ZONE 'Europe/Amsterdam')::date, n.municipality_code, n.sys_from
        FROM new_rows n
        WHERE n.school_id IS NOT NULL AND n.duplicate_of IS NULL;
    END IF;
    RETURN NULL;
END $$;

--
-- Name: risk_terms_of_visits(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.risk_terms_of_visits() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM risk_terms t USING old_rows o WHERE t.evidence_id = o.id AND t.kind = 'visit';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
        SELECT n.id, n.school_id, 'visit', 'visit/' || n.kind || '/' || n.outcome, n.visited_on, n.recorded_at
        FROM new_rows n;
    END IF;
    RETURN NULL;
END $$;

--
-- Name: school_search_text(text, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.school_search_text(name text, trade_names text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN public.fold_text(((name || ' '::text) || COALESCE(array_to_string(trade_names, ' '::text), ''::text)));

--
-- Name: school_search_rank(text, text[], text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.school_search_rank(name text, trade_names text[], term text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN (term IS NULL) THEN 0 WHEN ((public.fold_text(name) = public.fold_text(term)) OR (public.fold_text(term) IN (SELECT public.fold_text(t.t) AS fold_text FROM unnest(school_search_rank.trade_names) t(t)))) THEN 0 WHEN starts_with(public.fold_text(name), public.fold_text(term)) THEN 1 WHEN (strpos(public.school_search_text(name, trade_names), public.fold_text(term)) > 0) THEN 2 ELSE 3 END;

--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    secret_sha256 text NOT NULL,
    role text NOT NULL,
    municipality_code text,
    label text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    revoked_by text,
    expires_at timestamp with time zone,
    recorded_by text NOT NULL,
    organisation_id text NOT NULL,
    CONSTRAINT api_tokens_check CHECK (((revoked_at IS NULL) = (revoked_by IS NULL))),
    CONSTRAINT api_tokens_label_check CHECK (((length(btrim(label)) >= 1) AND (length(btrim(label)) <= 200))),
    CONSTRAINT api_tokens_municipality_required CHECK (((role <> ALL (ARRAY['buyer'::text, 'signaller'::text])) OR (municipality_code IS NOT NULL))),
    CONSTRAINT api_tokens_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT api_tokens_revoked_by_check CHECK (((length(revoked_by) >= 1) AND (length(revoked_by) <= 200))),
    CONSTRAINT api_tokens_role_check CHECK ((role = ANY (ARRAY['buyer'::text, 'signaller'::text, 'inspector'::text, 'analyst'::text, 'admin'::text]))),
    CONSTRAINT api_tokens_secret_sha256_check CHECK ((secret_sha256 ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: audit_checkpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_checkpoints (
    id bigint NOT NULL,
    size bigint NOT NULL,
    head_hash text NOT NULL,
    at timestamp with time zone NOT NULL,
    key_id text NOT NULL,
    public_key text NOT NULL,
    signature text NOT NULL,
    CONSTRAINT audit_checkpoints_head_hash_check CHECK ((head_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_checkpoints_key_id_check CHECK ((key_id ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_checkpoints_public_key_check CHECK ((length(public_key) = 44)),
    CONSTRAINT audit_checkpoints_signature_check CHECK ((length(signature) = 88)),
    CONSTRAINT audit_checkpoints_size_check CHECK ((size >= 1))
);

--
-- Name: audit_checkpoints_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_checkpoints ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_checkpoints_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    seq bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    subject text NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    prev_hash text,
    hash text NOT NULL,
    actor_role text NOT NULL,
    actor_organisation text NOT NULL,
    token_id uuid,
    content_hash text,
    appended_at timestamp with time zone,
    sequenced_at timestamp with time zone,
    CONSTRAINT audit_log_action_check CHECK (((length(action) >= 1) AND (length(action) <= 100))),
    CONSTRAINT audit_log_actor_check CHECK (((length(actor) >= 1) AND (length(actor) <= 200))),
    CONSTRAINT audit_log_actor_organisation_check CHECK (((length(actor_organisation) >= 1) AND (length(actor_organisation) <= 100))),
    CONSTRAINT audit_log_actor_role_check CHECK (((length(actor_role) >= 1) AND (length(actor_role) <= 50))),
    CONSTRAINT audit_log_content_hash_check CHECK ((content_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_log_first_has_no_prev CHECK (((seq = 1) = (prev_hash IS NULL))),
    CONSTRAINT audit_log_hash_check CHECK ((hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_log_prev_hash_check CHECK ((prev_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_log_seq_positive CHECK ((seq >= 1)),
    CONSTRAINT audit_log_subject_check CHECK (((length(subject) >= 1) AND (length(subject) <= 200)))
);

--
-- Name: audit_pending; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_pending (
    id bigint NOT NULL,
    appended_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    at timestamp with time zone NOT NULL,
    actor text NOT NULL,
    actor_role text NOT NULL,
    actor_organisation text NOT NULL,
    token_id uuid,
    action text NOT NULL,
    subject text NOT NULL,
    details jsonb NOT NULL,
    content_hash text NOT NULL,
    CONSTRAINT audit_pending_action_check CHECK (((length(action) >= 1) AND (length(action) <= 100))),
    CONSTRAINT audit_pending_actor_check CHECK (((length(actor) >= 1) AND (length(actor) <= 200))),
    CONSTRAINT audit_pending_actor_organisation_check CHECK (((length(actor_organisation) >= 1) AND (length(actor_organisation) <= 100))),
    CONSTRAINT audit_pending_actor_role_check CHECK (((length(actor_role) >= 1) AND (length(actor_role) <= 50))),
    CONSTRAINT audit_pending_content_hash_check CHECK ((content_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_pending_subject_check CHECK (((length(subject) >= 1) AND (length(subject) <= 200)))
);

--
-- Name: audit_pending_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_pending ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_pending_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: contracts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contracts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    municipality_code text NOT NULL,
    school_id uuid NOT NULL,
    procurement_form text NOT NULL,
    routes text[] NOT NULL,
    period daterange NOT NULL,
    status text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT contracts_period_check CHECK (((NOT isempty(period)) AND lower_inc(period) AND (NOT lower_inf(period)))),
    CONSTRAINT contracts_procurement_form_check CHECK ((procurement_form = ANY (ARRAY['inHouse'::text, 'publicContract'::text, 'openHouse'::text]))),
    CONSTRAINT contracts_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT contracts_routes_check CHECK (((cardinality(routes) > 0) AND (array_position(routes, NULL::text) IS NULL) AND (routes <@ ARRAY['b1Route'::text, 'educationRoute'::text, 'zRoute'::text]))),
    CONSTRAINT contracts_status_check CHECK ((status = ANY (ARRAY['planned'::text, 'active'::text, 'ended'::text, 'terminated'::text])))
);

--
-- Name: fraud_signal_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.fraud_signal_history (
    id uuid NOT NULL,
    school_id uuid,
    status text NOT NULL,
    duplicate_of uuid,
    version integer NOT NULL,
    sys_period tstzrange NOT NULL
);

--
-- Name: fraud_signals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.fraud_signals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    reference text NOT NULL,
    municipality_code text NOT NULL,
    school_id uuid,
    reported_school_name text NOT NULL,
    reported_kvk_number text,
    reported_place text,
    category text NOT NULL,
    severity text NOT NULL,
    observed_from date NOT NULL,
    observed_until date,
    summary text NOT NULL,
    source text NOT NULL,
    status text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    case_reference text,
    reported_vestigingsnummer text,
    duplicate_of uuid,
    text_removed_at timestamp with time zone,
    sys_from timestamp with time zone DEFAULT now() NOT NULL,
    received_on date GENERATED ALWAYS AS (((received_at AT TIME ZONE 'Europe/Amsterdam'::text))::date) STORED,
    CONSTRAINT fraud_signals_case_reference_check CHECK (((length(btrim(case_reference)) >= 1) AND (length(btrim(case_reference)) <= 100))),
    CONSTRAINT fraud_signals_category_check CHECK ((category = ANY (ARRAY['lessonsNotGiven'::text, 'kickbacks'::text, 'inducements'::text, 'attendanceFalsified'::text, 'examFraud'::text, 'onaDossierFraud'::text, 'poorTeaching'::text, 'inspectionGaming'::text, 'financialIrregularities'::text, 'conflictOfInterest'::text, 'other'::text]))),
    CONSTRAINT fraud_signals_check CHECK ((observed_until > observed_from)),
    CONSTRAINT fraud_signals_not_own_duplicate CHECK ((duplicate_of <> id)),
    CONSTRAINT fraud_signals_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT fraud_signals_reference_check CHECK (((reference ~ '^SIG-[0-9]{4}-[0-9]{6}$'::text) OR ((reference ~ '^SIG-GM[0-9]{4}-[0-9]{4}-[0-9]{6}$'::text) AND (substr(reference, 5, 6) = municipality_code)))),
    CONSTRAINT fraud_signals_reported_kvk_number_check CHECK ((reported_kvk_number ~ '^[0-9]{8}$'::text)),
    CONSTRAINT fraud_signals_reported_place_check CHECK (((length(reported_place) >= 1) AND (length(reported_place) <= 200))),
    CONSTRAINT fraud_signals_reported_school_name_check CHECK (((length(btrim(reported_school_name)) >= 1) AND (length(btrim(reported_school_name)) <= 300))),
    CONSTRAINT fraud_signals_reported_vestigingsnummer_check CHECK ((reported_vestigingsnummer ~ '^[0-9]{12}$'::text)),
    CONSTRAINT fraud_signals_severity_check CHECK ((severity = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text]))),
    CONSTRAINT fraud_signals_source_check CHECK ((source = ANY (ARRAY['learnerComplaint'::text, 'staffReport'::text, 'ownCaseWork'::text, 'duo'::text, 'otherAuthority'::text, 'media'::text, 'other'::text]))),
    CONSTRAINT fraud_signals_status_check CHECK ((status = ANY (ARRAY['received'::text, 'triaged'::text, 'underInvestigation'::text, 'substantiated'::text, 'unfounded'::text, 'inconclusive'::text]))),
    CONSTRAINT fraud_signals_summary_check CHECK (((length(btrim(summary)) >= 1) AND (length(btrim(summary)) <= 10000))),
    CONSTRAINT fraud_signals_version_check CHECK ((version >= 1))
);

--
-- Name: fraud_signal_versions; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.fraud_signal_versions AS
 SELECT f.id,
    f.reference,
    f.municipality_code,
    f.school_id,
    f.reported_school_name,
    f.reported_kvk_number,
    f.reported_place,
    f.category,
    f.severity,
    f.observed_from,
    f.observed_until,
    f.summary,
    f.source,
    f.status,
    f.received_at,
    f.recorded_at,
    f.recorded_by,
    f.case_reference,
    f.reported_vestigingsnummer,
    f.duplicate_of,
    f.version,
    f.sys_from,
    NULL::timestamp with time zone AS sys_to
   FROM public.fraud_signals f
UNION ALL
 SELECT f.id,
    f.reference,
    f.municipality_code,
    h.school_id,
    f.reported_school_name,
    f.reported_kvk_number,
    f.reported_place,
    f.category,
    f.severity,
    f.observed_from,
    f.observed_until,
    f.summary,
    f.source,
    h.status,
    f.received_at,
    f.recorded_at,
    f.recorded_by,
    f.case_reference,
    f.reported_vestigingsnummer,
    h.duplicate_of,
    h.version,
    lower(h.sys_period) AS sys_from,
    upper(h.sys_period) AS sys_to
   FROM (public.fraud_signal_history h
     JOIN public.fraud_signals f ON ((f.id = h.id)))
  WHERE (NOT isempty(h.sys_period));

--
-- Name: idempotency_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_keys (
    municipality_code text NOT NULL,
    key text NOT NULL,
    request_sha256 text NOT NULL,
    signal_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT idempotency_keys_key_check CHECK (((length(key) >= 1) AND (length(key) <= 200))),
    CONSTRAINT idempotency_keys_request_sha256_check CHECK ((request_sha256 ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: municipalities; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.municipalities (
    code text NOT NULL,
    name text NOT NULL,
    province_code text NOT NULL,
    province_name text NOT NULL,
    labour_market_region text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT municipalities_code_check CHECK ((code ~ '^GM[0-9]{4}$'::text)),
    CONSTRAINT municipalities_labour_market_region_check CHECK (((length(labour_market_region) >= 1) AND (length(labour_market_region) <= 200))),
    CONSTRAINT municipalities_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT municipalities_province_code_check CHECK ((province_code ~ '^PV[0-9]{2}$'::text)),
    CONSTRAINT municipalities_province_name_check CHECK (((length(province_name) >= 1) AND (length(province_name) <= 200))),
    CONSTRAINT municipalities_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200)))
);

--
-- Name: organisations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organisations (
    id text NOT NULL,
    disabled_at timestamp with time zone,
    disabled_by text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT organisations_check CHECK (((disabled_at IS NULL) = (disabled_by IS NULL))),
    CONSTRAINT organisations_disabled_by_check CHECK (((length(disabled_by) >= 1) AND (length(disabled_by) <= 200))),
    CONSTRAINT organisations_id_check CHECK ((id ~ '^(GM[0-9]{4}|[a-z][a-z0-9-]{1,62})$'::text)),
    CONSTRAINT organisations_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200)))
);

--
-- Name: procurement_checks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.procurement_checks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    municipality_code text NOT NULL,
    school_id uuid NOT NULL,
    route text,
    contract_from date NOT NULL,
    contract_to date,
    as_of timestamp with time zone NOT NULL,
    assessed_on date NOT NULL,
    model_version text NOT NULL,
    input_sha256 text NOT NULL,
    verdict text NOT NULL,
    assessment text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    location_id uuid,
    idempotency_key text,
    request_sha256 text,
    CONSTRAINT procurement_checks_check CHECK ((contract_to >= contract_from)),
    CONSTRAINT procurement_checks_idempotency_key_check CHECK (((idempotency_key IS NULL) OR ((length(idempotency_key) >= 1) AND (length(idempotency_key) <= 200)))),
    CONSTRAINT procurement_checks_input_sha256_check CHECK ((input_sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT procurement_checks_key_has_hash CHECK (((idempotency_key IS NULL) = (request_sha256 IS NULL))),
    CONSTRAINT procurement_checks_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT procurement_checks_request_sha256_check CHECK (((request_sha256 IS NULL) OR (request_sha256 ~ '^[0-9a-f]{64}$'::text))),
    CONSTRAINT procurement_checks_verdict_check CHECK ((verdict = ANY (ARRAY['clear'::text, 'caution'::text, 'blocked'::text])))
);

--
-- Name: procurement_decisions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.procurement_decisions (
    check_id uuid NOT NULL,
    decision text NOT NULL,
    reason text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT procurement_decisions_decision_check CHECK ((decision = ANY (ARRAY['proceed'::text, 'doNotProceed'::text, 'deferred'::text]))),
    CONSTRAINT procurement_decisions_reason_check CHECK (((length(btrim(reason)) >= 1) AND (length(btrim(reason)) <= 4000))),
    CONSTRAINT procurement_decisions_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200)))
);

--
-- Name: quality_mark_decision_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.quality_mark_decision_history (
    id uuid NOT NULL,
    valid_during daterange NOT NULL,
    ended_by uuid,
    rectified_at timestamp with time zone,
    rectified_by text,
    rectification_reason text,
    sys_period tstzrange NOT NULL
);

--
-- Name: quality_mark_decisions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.quality_mark_decisions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    school_id uuid NOT NULL,
    status text NOT NULL,
    valid_during daterange NOT NULL,
    decided_on date NOT NULL,
    reference text,
    reason text,
    objection text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    location_id uuid,
    declared_until date,
    ended_by uuid,
    rectified_at timestamp with time zone,
    rectified_by text,
    rectification_reason text,
    sys_from timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT quality_mark_decisions_objection_check CHECK ((length(objection) <= 10000)),
    CONSTRAINT quality_mark_decisions_reason_check CHECK ((length(reason) <= 10000)),
    CONSTRAINT quality_mark_decisions_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT quality_mark_decisions_rectification_reason_check CHECK (((length(rectification_reason) >= 1) AND (length(rectification_reason) <= 4000))),
    CONSTRAINT quality_mark_decisions_rectification_whole CHECK ((((rectified_at IS NULL) = (rectified_by IS NULL)) AND ((rectified_at IS NULL) = (rectification_reason IS NULL)))),
    CONSTRAINT quality_mark_decisions_rectified_by_check CHECK (((length(rectified_by) >= 1) AND (length(rectified_by) <= 200))),
    CONSTRAINT quality_mark_decisions_reference_check CHECK (((length(reference) >= 1) AND (length(reference) <= 100))),
    CONSTRAINT quality_mark_decisions_status_check CHECK ((status = ANY (ARRAY['aspirant'::text, 'grantedFixedTerm'::text, 'grantedIndefinite'::text, 'suspended'::text, 'withdrawn'::text, 'notGranted'::text, 'lapsed'::text, 'stopped'::text]))),
    CONSTRAINT quality_mark_decisions_valid_during_check CHECK (((NOT isempty(valid_during)) AND lower_inc(valid_during) AND (NOT lower_inf(valid_during))))
);

--
-- Name: quality_mark_decision_versions; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.quality_mark_decision_versions AS
 SELECT d.id,
    d.school_id,
    d.location_id,
    d.status,
    d.valid_during,
    d.declared_until,
    d.ended_by,
    d.decided_on,
    d.reference,
    d.reason,
    d.objection,
    d.rectified_at,
    d.rectified_by,
    d.rectification_reason,
    d.recorded_at,
    d.recorded_by,
    d.sys_from,
    NULL::timestamp with time zone AS sys_to
   FROM public.quality_mark_decisions d
UNION ALL
 SELECT d.id,
    d.school_id,
    d.location_id,
    d.status,
    h.valid_during,
    d.declared_until,
    h.ended_by,
    d.decided_on,
    d.reference,
    d.reason,
    d.objection,
    h.rectified_at,
    h.rectified_by,
    h.rectification_reason,
    d.recorded_at,
    d.recorded_by,
    lower(h.sys_period) AS sys_from,
    upper(h.sys_period) AS sys_to
   FROM (public.quality_mark_decision_history h
     JOIN public.quality_mark_decisions d ON ((d.id = h.id)))
  WHERE (NOT isempty(h.sys_period));

--
-- Name: risk_models; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.risk_models (
    version text NOT NULL,
    content_sha256 text NOT NULL,
    weights text NOT NULL,
    status text NOT NULL,
    published_at timestamp with time zone,
    retired_at timestamp with time zone,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT risk_models_content_sha256_check CHECK ((content_sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT risk_models_published_has_instant CHECK (((status = 'draft'::text) = (published_at IS NULL))),
    CONSTRAINT risk_models_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT risk_models_retired_has_instant CHECK (((status = 'retired'::text) = (retired_at IS NOT NULL))),
    CONSTRAINT risk_models_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'published'::text, 'retired'::text]))),
    CONSTRAINT risk_models_version_check CHECK (((length(version) >= 1) AND (length(version) <= 50)))
);

--
-- Name: risk_terms; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.risk_terms (
    evidence_id uuid NOT NULL,
    school_id uuid NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    anchor_date date NOT NULL,
    municipality_code text,
    sys_from timestamp with time zone NOT NULL,
    sys_to timestamp with time zone,
    CONSTRAINT risk_terms_kind_check CHECK ((kind = ANY (ARRAY['signal'::text, 'visit'::text, 'decision'::text])))
);

--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT schema_migrations_checksum_check CHECK ((checksum ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: school_evidence_generations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.school_evidence_generations (
    school_id uuid NOT NULL,
    generation bigint NOT NULL
);

--
-- Name: school_locations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.school_locations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    school_id uuid NOT NULL,
    vestigingsnummer text,
    municipality_code text NOT NULL,
    address text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT school_locations_address_check CHECK (((length(btrim(address)) >= 1) AND (length(btrim(address)) <= 500))),
    CONSTRAINT school_locations_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT school_locations_vestigingsnummer_check CHECK ((vestigingsnummer ~ '^[0-9]{12}$'::text))
);

--
-- Name: school_name_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.school_name_keys (
    school_id uuid NOT NULL,
    normalized_name text NOT NULL,
    CONSTRAINT school_name_keys_normalized_name_check CHECK ((length(normalized_name) > 0))
);

--
-- Name: school_replies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.school_replies (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    subject_kind text NOT NULL,
    subject_id uuid NOT NULL,
    school_id uuid NOT NULL,
    reply text NOT NULL,
    received_on date NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT school_replies_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT school_replies_reply_check CHECK (((length(btrim(reply)) >= 1) AND (length(btrim(reply)) <= 10000))),
    CONSTRAINT school_replies_subject_kind_check CHECK ((subject_kind = ANY (ARRAY['signal'::text, 'finding'::text])))
);

--
-- Name: schools; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schools (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    trade_names text[] DEFAULT '{}'::text[] NOT NULL,
    kvk_number text NOT NULL,
    municipality_code text NOT NULL,
    routes text[] DEFAULT '{}'::text[] NOT NULL,
    is_fictional boolean DEFAULT false NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT schools_kvk_number_check CHECK ((kvk_number ~ '^[0-9]{8}$'::text)),
    CONSTRAINT schools_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 300))),
    CONSTRAINT schools_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT schools_routes_check CHECK (((array_position(routes, NULL::text) IS NULL) AND (routes <@ ARRAY['b1Route'::text, 'educationRoute'::text, 'zRoute'::text]))),
    CONSTRAINT schools_trade_names_check CHECK ((array_position(trade_names, NULL::text) IS NULL))
);

--
-- Name: signal_forwards; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signal_forwards (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    signal_id uuid NOT NULL,
    target text NOT NULL,
    note text NOT NULL,
    at timestamp with time zone NOT NULL,
    by text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT signal_forwards_by_check CHECK (((length(by) >= 1) AND (length(by) <= 200))),
    CONSTRAINT signal_forwards_note_check CHECK (((length(btrim(note)) >= 1) AND (length(btrim(note)) <= 10000))),
    CONSTRAINT signal_forwards_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT signal_forwards_target_check CHECK ((target = ANY (ARRAY['qualityMarkBody'::text, 'inspectorate'::text])))
);

--
-- Name: signal_match_rejections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signal_match_rejections (
    signal_id uuid NOT NULL,
    school_id uuid NOT NULL,
    note text NOT NULL,
    at timestamp with time zone NOT NULL,
    by text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT signal_match_rejections_by_check CHECK (((length(by) >= 1) AND (length(by) <= 200))),
    CONSTRAINT signal_match_rejections_note_check CHECK (((length(btrim(note)) >= 1) AND (length(btrim(note)) <= 10000))),
    CONSTRAINT signal_match_rejections_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200)))
);

--
-- Name: signal_reference_counters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signal_reference_counters (
    year integer NOT NULL,
    last integer NOT NULL,
    CONSTRAINT signal_reference_counters_last_check CHECK (((last >= 1) AND (last <= 999999))),
    CONSTRAINT signal_reference_counters_year_check CHECK (((year >= 2000) AND (year <= 9999)))
);

--
-- Name: signal_reference_counters_by_municipality; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signal_reference_counters_by_municipality (
    municipality_code text NOT NULL,
    year integer NOT NULL,
    last integer NOT NULL,
    CONSTRAINT signal_reference_counters_by_municipality_last_check CHECK (((last >= 1) AND (last <= 999999))),
    CONSTRAINT signal_reference_counters_by_municipality_year_check CHECK (((year >= 2000) AND (year <= 9999)))
);

--
-- Name: signal_relations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signal_relations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    signal_id uuid NOT NULL,
    related_signal_id uuid NOT NULL,
    kind text NOT NULL,
    note text NOT NULL,
    at timestamp with time zone NOT NULL,
    by text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT signal_relations_by_check CHECK (((length(by) >= 1) AND (length(by) <= 200))),
    CONSTRAINT signal_relations_kind_check CHECK ((kind = ANY (ARRAY['duplicate'::text, 'corroborating'::text]))),
    CONSTRAINT signal_relations_not_self CHECK ((signal_id <> related_signal_id)),
    CONSTRAINT signal_relations_note_check CHECK (((length(btrim(note)) >= 1) AND (length(btrim(note)) <= 10000))),
    CONSTRAINT signal_relations_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200)))
);

--
-- Name: signal_school_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signal_school_links (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    signal_id uuid NOT NULL,
    school_id uuid,
    note text NOT NULL,
    at timestamp with time zone NOT NULL,
    by text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT signal_school_links_by_check CHECK (((length(by) >= 1) AND (length(by) <= 200))),
    CONSTRAINT signal_school_links_note_check CHECK (((length(btrim(note)) >= 1) AND (length(btrim(note)) <= 10000))),
    CONSTRAINT signal_school_links_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200)))
);

--
-- Name: signal_transitions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signal_transitions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    signal_id uuid NOT NULL,
    from_status text,
    to_status text NOT NULL,
    at timestamp with time zone NOT NULL,
    by text NOT NULL,
    note text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT signal_transitions_by_check CHECK (((length(by) >= 1) AND (length(by) <= 200))),
    CONSTRAINT signal_transitions_check CHECK ((from_status IS DISTINCT FROM to_status)),
    CONSTRAINT signal_transitions_from_status_check CHECK ((from_status = ANY (ARRAY['received'::text, 'triaged'::text, 'underInvestigation'::text, 'substantiated'::text, 'unfounded'::text, 'inconclusive'::text]))),
    CONSTRAINT signal_transitions_note_check CHECK ((length(note) <= 10000)),
    CONSTRAINT signal_transitions_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT signal_transitions_to_status_check CHECK ((to_status = ANY (ARRAY['received'::text, 'triaged'::text, 'underInvestigation'::text, 'substantiated'::text, 'unfounded'::text, 'inconclusive'::text])))
);

--
-- Name: supervision_visits; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.supervision_visits (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    school_id uuid NOT NULL,
    location_id uuid,
    kind text NOT NULL,
    announced boolean NOT NULL,
    visited_on date NOT NULL,
    outcome text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT supervision_visits_kind_check CHECK ((kind = ANY (ARRAY['classroom'::text, 'financial'::text, 'resultsAudit'::text, 'clientAudit'::text, 'newEntrant'::text, 'followUp'::text]))),
    CONSTRAINT supervision_visits_outcome_check CHECK ((outcome = ANY (ARRAY['compliant'::text, 'minorFindings'::text, 'majorFindings'::text, 'accessRefused'::text]))),
    CONSTRAINT supervision_visits_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200)))
);

--
-- Name: visit_findings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.visit_findings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    visit_id uuid NOT NULL,
    ordinal integer NOT NULL,
    norm_code text NOT NULL,
    severity text NOT NULL,
    note text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT visit_findings_norm_code_check CHECK (((length(norm_code) >= 1) AND (length(norm_code) <= 32))),
    CONSTRAINT visit_findings_note_check CHECK ((length(note) <= 10000)),
    CONSTRAINT visit_findings_ordinal_check CHECK ((ordinal >= 0)),
    CONSTRAINT visit_findings_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT visit_findings_severity_check CHECK ((severity = ANY (ARRAY['minor'::text, 'major'::text])))
);

--
-- Name: web_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.web_sessions (
    id_sha256 text NOT NULL,
    token_id uuid NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT web_sessions_csrf_token_check CHECK (((length(csrf_token) >= 32) AND (length(csrf_token) <= 64))),
    CONSTRAINT web_sessions_id_sha256_check CHECK ((id_sha256 ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: webhook_attempts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_attempts (
    id bigint NOT NULL,
    outbox_id uuid NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    status integer,
    error text,
    duration_ms integer NOT NULL,
    CONSTRAINT webhook_attempts_check CHECK (((status IS NOT NULL) OR (error IS NOT NULL))),
    CONSTRAINT webhook_attempts_duration_ms_check CHECK ((duration_ms >= 0)),
    CONSTRAINT webhook_attempts_error_check CHECK ((length(error) <= 1000))
);

--
-- Name: webhook_attempts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.webhook_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.webhook_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: webhook_outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_outbox (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    subscription_id uuid NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    delivered_at timestamp with time zone,
    failed_at timestamp with time zone,
    last_status integer,
    last_error text,
    CONSTRAINT webhook_outbox_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT webhook_outbox_check CHECK (((delivered_at IS NULL) OR (failed_at IS NULL))),
    CONSTRAINT webhook_outbox_last_error_check CHECK ((length(last_error) <= 1000)),
    CONSTRAINT webhook_outbox_type_check CHECK (((length(type) >= 1) AND (length(type) <= 200)))
);

--
-- Name: webhook_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_subscriptions (
    id uuid NOT NULL,
    organisation_id text NOT NULL,
    url text NOT NULL,
    events text[] NOT NULL,
    filter_school_id uuid,
    filter_municipality_code text,
    secret text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    recorded_by text NOT NULL,
    deleted_at timestamp with time zone,
    deleted_by text,
    filter_contracted boolean DEFAULT false NOT NULL,
    CONSTRAINT webhook_subscriptions_check CHECK (((filter_school_id IS NULL) OR (filter_municipality_code IS NULL))),
    CONSTRAINT webhook_subscriptions_check1 CHECK (((deleted_at IS NULL) = (deleted_by IS NULL))),
    CONSTRAINT webhook_subscriptions_deleted_by_check CHECK (((length(deleted_by) >= 1) AND (length(deleted_by) <= 200))),
    CONSTRAINT webhook_subscriptions_events_check CHECK (((cardinality(events) >= 1) AND (cardinality(events) <= 20))),
    CONSTRAINT webhook_subscriptions_one_filter CHECK ((num_nonnulls(filter_school_id, filter_municipality_code, NULLIF(filter_contracted, false)) <= 1)),
    CONSTRAINT webhook_subscriptions_recorded_by_check CHECK (((length(recorded_by) >= 1) AND (length(recorded_by) <= 200))),
    CONSTRAINT webhook_subscriptions_secret_check CHECK ((secret ~ '^whsec_[A-Za-z0-9+/]{43}=$'::text)),
    CONSTRAINT webhook_subscriptions_url_check CHECK ((((length(url) >= 9) AND (length(url) <= 2000)) AND ((url ~ '^https://[^/?#]+'::text) OR (url ~ '^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?(/|$)'::text))))
);

--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);

--
-- Name: api_tokens api_tokens_secret_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_secret_sha256_key UNIQUE (secret_sha256);

--
-- Name: audit_checkpoints audit_checkpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_checkpoints
    ADD CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (seq);

--
-- Name: audit_pending audit_pending_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_pending
    ADD CONSTRAINT audit_pending_pkey PRIMARY KEY (id);

--
-- Name: contracts contracts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_pkey PRIMARY KEY (id);

--
-- Name: dutch_working_days dutch_working_days_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dutch_working_days
    ADD CONSTRAINT dutch_working_days_pkey PRIMARY KEY (day);

--
-- Name: fraud_signals fraud_signals_case_reference_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fraud_signals
    ADD CONSTRAINT fraud_signals_case_reference_key UNIQUE (municipality_code, case_reference);

--
-- Name: fraud_signals fraud_signals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fraud_signals
    ADD CONSTRAINT fraud_signals_pkey PRIMARY KEY (id);

--
-- Name: fraud_signals fraud_signals_reference_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fraud_signals
    ADD CONSTRAINT fraud_signals_reference_key UNIQUE (reference);

--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (municipality_code, key);

--
-- Name: municipalities municipalities_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.municipalities
    ADD CONSTRAINT municipalities_pkey PRIMARY KEY (code);

--
-- Name: organisations organisations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_pkey PRIMARY KEY (id);

--
-- Name: procurement_checks procurement_checks_idempotency_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_checks
    ADD CONSTRAINT procurement_checks_idempotency_key UNIQUE (municipality_code, idempotency_key);

--
-- Name: procurement_checks procurement_checks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_checks
    ADD CONSTRAINT procurement_checks_pkey PRIMARY KEY (id);

--
-- Name: procurement_decisions procurement_decisions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_decisions
    ADD CONSTRAINT procurement_decisions_pkey PRIMARY KEY (check_id);

--
-- Name: quality_mark_decisions quality_mark_decisions_no_overlap; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_mark_decisions
    ADD CONSTRAINT quality_mark_decisions_no_overlap EXCLUDE USING gist (school_id WITH =, COALESCE(location_id, '00000000-0000-0000-0000-000000000000'::uuid) WITH =, valid_during WITH &&) WHERE ((rectified_at IS NULL));

--
-- Name: quality_mark_decisions quality_mark_decisions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_mark_decisions
    ADD CONSTRAINT quality_mark_decisions_pkey PRIMARY KEY (id);

--
-- Name: risk_models risk_models_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.risk_models
    ADD CONSTRAINT risk_models_pkey PRIMARY KEY (version);

--
-- Name: risk_models risk_models_published_at_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.risk_models
    ADD CONSTRAINT risk_models_published_at_key UNIQUE (published_at);

--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

--
-- Name: school_evidence_generations school_evidence_generations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_evidence_generations
    ADD CONSTRAINT school_evidence_generations_pkey PRIMARY KEY (school_id);

--
-- Name: school_locations school_locations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_locations
    ADD CONSTRAINT school_locations_pkey PRIMARY KEY (id);

--
-- Name: school_locations school_locations_school_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_locations
    ADD CONSTRAINT school_locations_school_id_id_key UNIQUE (school_id, id);

--
-- Name: school_locations school_locations_vestigingsnummer_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_locations
    ADD CONSTRAINT school_locations_vestigingsnummer_key UNIQUE (vestigingsnummer);

--
-- Name: school_name_keys school_name_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_name_keys
    ADD CONSTRAINT school_name_keys_pkey PRIMARY KEY (school_id, normalized_name);

--
-- Name: school_replies school_replies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_replies
    ADD CONSTRAINT school_replies_pkey PRIMARY KEY (id);

--
-- Name: schools schools_kvk_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schools
    ADD CONSTRAINT schools_kvk_number_key UNIQUE (kvk_number);

--
-- Name: schools schools_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schools
    ADD CONSTRAINT schools_pkey PRIMARY KEY (id);

--
-- Name: signal_forwards signal_forwards_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_forwards
    ADD CONSTRAINT signal_forwards_pkey PRIMARY KEY (id);

--
-- Name: signal_match_rejections signal_match_rejections_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_match_rejections
    ADD CONSTRAINT signal_match_rejections_pkey PRIMARY KEY (signal_id, school_id);

--
-- Name: signal_reference_counters_by_municipality signal_reference_counters_by_municipality_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_reference_counters_by_municipality
    ADD CONSTRAINT signal_reference_counters_by_municipality_pkey PRIMARY KEY (municipality_code, year);

--
-- Name: signal_reference_counters signal_reference_counters_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_reference_counters
    ADD CONSTRAINT signal_reference_counters_pkey PRIMARY KEY (year);

--
-- Name: signal_relations signal_relations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_relations
    ADD CONSTRAINT signal_relations_pkey PRIMARY KEY (id);

--
-- Name: signal_relations signal_relations_signal_id_related_signal_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_relations
    ADD CONSTRAINT signal_relations_signal_id_related_signal_id_key UNIQUE (signal_id, related_signal_id);

--
-- Name: signal_school_links signal_school_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_school_links
    ADD CONSTRAINT signal_school_links_pkey PRIMARY KEY (id);

--
-- Name: signal_transitions signal_transitions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_transitions
    ADD CONSTRAINT signal_transitions_pkey PRIMARY KEY (id);

--
-- Name: supervision_visits supervision_visits_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.supervision_visits
    ADD CONSTRAINT supervision_visits_pkey PRIMARY KEY (id);

--
-- Name: visit_findings visit_findings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.visit_findings
    ADD CONSTRAINT visit_findings_pkey PRIMARY KEY (id);

--
-- Name: visit_findings visit_findings_visit_id_ordinal_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.visit_findings
    ADD CONSTRAINT visit_findings_visit_id_ordinal_key UNIQUE (visit_id, ordinal);

--
-- Name: web_sessions web_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_sessions
    ADD CONSTRAINT web_sessions_pkey PRIMARY KEY (id_sha256);

--
-- Name: webhook_attempts webhook_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_attempts
    ADD CONSTRAINT webhook_attempts_pkey PRIMARY KEY (id);

--
-- Name: webhook_outbox webhook_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_outbox
    ADD CONSTRAINT webhook_outbox_pkey PRIMARY KEY (id);

--
-- Name: webhook_outbox webhook_outbox_subscription_id_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_outbox
    ADD CONSTRAINT webhook_outbox_subscription_id_event_id_key UNIQUE (subscription_id, event_id);

--
-- Name: webhook_subscriptions webhook_subscriptions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_pkey PRIMARY KEY (id);

--
-- Name: audit_checkpoints_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_checkpoints_at_idx ON public.audit_checkpoints USING btree (at DESC, id DESC);

--
-- Name: audit_log_prev_hash_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX audit_log_prev_hash_key ON public.audit_log USING btree (prev_hash);

--
-- Name: audit_log_subject_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_subject_idx ON public.audit_log USING btree (subject, seq);

--
-- Name: contracts_municipality_code_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracts_municipality_code_idx ON public.contracts USING btree (municipality_code);

--
-- Name: contracts_school_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracts_school_id_idx ON public.contracts USING btree (school_id);

--
-- Name: fraud_signal_history_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signal_history_id_idx ON public.fraud_signal_history USING btree (id);

--
-- Name: fraud_signal_history_school_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signal_history_school_idx ON public.fraud_signal_history USING btree (school_id) WHERE (school_id IS NOT NULL);

--
-- Name: fraud_signals_duplicate_of_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signals_duplicate_of_idx ON public.fraud_signals USING btree (duplicate_of) WHERE (duplicate_of IS NOT NULL);

--
-- Name: fraud_signals_municipality_code_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signals_municipality_code_idx ON public.fraud_signals USING btree (municipality_code, received_at DESC, id DESC);

--
-- Name: fraud_signals_received_at_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signals_received_at_id_idx ON public.fraud_signals USING btree (received_at DESC, id DESC);

--
-- Name: fraud_signals_reported_kvk_number_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signals_reported_kvk_number_idx ON public.fraud_signals USING btree (reported_kvk_number) WHERE (reported_kvk_number IS NOT NULL);

--
-- Name: fraud_signals_reported_vestigingsnummer_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signals_reported_vestigingsnummer_idx ON public.fraud_signals USING btree (reported_vestigingsnummer) WHERE (reported_vestigingsnummer IS NOT NULL);

--
-- Name: fraud_signals_school_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signals_school_id_idx ON public.fraud_signals USING btree (school_id, received_at DESC, id DESC) WHERE (school_id IS NOT NULL);

--
-- Name: fraud_signals_school_municipality_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX fraud_signals_school_municipality_idx ON public.fraud_signals USING btree (school_id, municipality_code) INCLUDE (received_at, category, status) WHERE (duplicate_of IS NULL);

--
-- Name: municipalities_province_code_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX municipalities_province_code_idx ON public.municipalities USING btree (province_code);

--
-- Name: procurement_checks_municipality_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procurement_checks_municipality_idx ON public.procurement_checks USING btree (municipality_code, recorded_at);

--
-- Name: procurement_checks_school_contract_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procurement_checks_school_contract_idx ON public.procurement_checks USING btree (school_id, municipality_code, contract_from, contract_to);

--
-- Name: procurement_checks_school_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procurement_checks_school_idx ON public.procurement_checks USING btree (school_id, recorded_at);

--
-- Name: quality_mark_decision_history_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX quality_mark_decision_history_id_idx ON public.quality_mark_decision_history USING btree (id);

--
-- Name: quality_mark_decisions_school_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX quality_mark_decisions_school_idx ON public.quality_mark_decisions USING btree (school_id);

--
-- Name: risk_terms_anchor_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX risk_terms_anchor_idx ON public.risk_terms USING btree (anchor_date) INCLUDE (school_id, kind, key, municipality_code, sys_from, sys_to);

--
-- Name: risk_terms_open_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX risk_terms_open_idx ON public.risk_terms USING btree (evidence_id) WHERE (sys_to IS NULL);

--
-- Name: school_locations_municipality_code_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX school_locations_municipality_code_idx ON public.school_locations USING btree (municipality_code, school_id);

--
-- Name: school_name_keys_trgm_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX school_name_keys_trgm_idx ON public.school_name_keys USING gin (normalized_name public.gin_trgm_ops);

--
-- Name: school_replies_school_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX school_replies_school_idx ON public.school_replies USING btree (school_id, recorded_at);

--
-- Name: school_replies_subject_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX school_replies_subject_idx ON public.school_replies USING btree (subject_kind, subject_id);

--
-- Name: schools_municipality_code_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX schools_municipality_code_idx ON public.schools USING btree (municipality_code);

--
-- Name: schools_name_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX schools_name_id_idx ON public.schools USING btree (name, id);

--
-- Name: schools_search_trgm_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX schools_search_trgm_idx ON public.schools USING gin (public.school_search_text(name, trade_names) public.gin_trgm_ops);

--
-- Name: signal_forwards_signal_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signal_forwards_signal_id_idx ON public.signal_forwards USING btree (signal_id, at);

--
-- Name: signal_relations_pair_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX signal_relations_pair_key ON public.signal_relations USING btree (LEAST(signal_id, related_signal_id), GREATEST(signal_id, related_signal_id));

--
-- Name: signal_relations_related_signal_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signal_relations_related_signal_id_idx ON public.signal_relations USING btree (related_signal_id);

--
-- Name: signal_school_links_signal_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signal_school_links_signal_id_idx ON public.signal_school_links USING btree (signal_id, at);

--
-- Name: signal_transitions_signal_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signal_transitions_signal_id_idx ON public.signal_transitions USING btree (signal_id, at);

--
-- Name: signal_transitions_to_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signal_transitions_to_status_idx ON public.signal_transitions USING btree (signal_id, to_status, at);

--
-- Name: supervision_visits_school_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX supervision_visits_school_id_idx ON public.supervision_visits USING btree (school_id, visited_on DESC, id);

--
-- Name: web_sessions_last_seen_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX web_sessions_last_seen_idx ON public.web_sessions USING btree (last_seen_at);

--
-- Name: web_sessions_token_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX web_sessions_token_idx ON public.web_sessions USING btree (token_id);

--
-- Name: webhook_attempts_outbox_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_attempts_outbox_idx ON public.webhook_attempts USING btree (outbox_id, at);

--
-- Name: webhook_outbox_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_outbox_due_idx ON public.webhook_outbox USING btree (next_attempt_at) WHERE ((delivered_at IS NULL) AND (failed_at IS NULL));

--
-- Name: webhook_outbox_subscription_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_outbox_subscription_idx ON public.webhook_outbox USING btree (subscription_id, created_at DESC);

--
-- Name: webhook_subscriptions_events_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_subscriptions_events_idx ON public.webhook_subscriptions USING gin (events) WHERE (deleted_at IS NULL);

--
-- Name: webhook_subscriptions_organisation_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_subscriptions_organisation_idx ON public.webhook_subscriptions USING btree (organisation_id, created_at);

--
-- Name: audit_checkpoints audit_checkpoints_no_update_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE DELETE OR UPDATE ON public.audit_checkpoints FOR EACH ROW EXECUTE FUNCTION public.audit_log_refuse_change();

--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse_change();

--
-- Name: audit_log audit_log_no_update_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_update_delete BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.audit_log_refuse_change();

--
-- Name: audit_pending audit_pending_no_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON public.audit_pending FOR EACH ROW EXECUTE FUNCTION public.audit_log_refuse_change();

--
-- Name: fraud_signals fraud_signals_evidence_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER fraud_signals_evidence_delete AFTER DELETE ON public.fraud_signals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: fraud_signals fraud_signals_evidence_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER fraud_signals_evidence_insert AFTER INSERT ON public.fraud_signals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: fraud_signals fraud_signals_evidence_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER fraud_signals_evidence_update AFTER UPDATE ON public.fraud_signals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: fraud_signals fraud_signals_keep_history; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER fraud_signals_keep_history BEFORE UPDATE ON public.fraud_signals FOR EACH ROW EXECUTE FUNCTION public.fraud_signals_keep_history();

--
-- Name: procurement_checks procurement_checks_no_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procurement_checks_no_change BEFORE DELETE OR UPDATE ON public.procurement_checks FOR EACH ROW EXECUTE FUNCTION public.procurement_refuse_change();

--
-- Name: procurement_decisions procurement_decisions_no_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procurement_decisions_no_change BEFORE DELETE OR UPDATE ON public.procurement_decisions FOR EACH ROW EXECUTE FUNCTION public.procurement_refuse_change();

--
-- Name: quality_mark_decisions quality_mark_decisions_evidence_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER quality_mark_decisions_evidence_delete AFTER DELETE ON public.quality_mark_decisions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: quality_mark_decisions quality_mark_decisions_evidence_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER quality_mark_decisions_evidence_insert AFTER INSERT ON public.quality_mark_decisions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: quality_mark_decisions quality_mark_decisions_evidence_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER quality_mark_decisions_evidence_update AFTER UPDATE ON public.quality_mark_decisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: quality_mark_decisions quality_mark_decisions_keep_history; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER quality_mark_decisions_keep_history BEFORE UPDATE ON public.quality_mark_decisions FOR EACH ROW EXECUTE FUNCTION public.quality_mark_decisions_keep_history();

--
-- Name: quality_mark_decisions quality_mark_decisions_refuse_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER quality_mark_decisions_refuse_delete BEFORE DELETE ON public.quality_mark_decisions FOR EACH ROW EXECUTE FUNCTION public.quality_mark_decisions_refuse_delete();

--
-- Name: risk_models risk_models_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_models_guard BEFORE DELETE OR UPDATE ON public.risk_models FOR EACH ROW EXECUTE FUNCTION public.risk_models_guard();

--
-- Name: quality_mark_decisions risk_terms_decisions_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_terms_decisions_insert AFTER INSERT ON public.quality_mark_decisions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.risk_terms_of_decisions();

--
-- Name: quality_mark_decisions risk_terms_decisions_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_terms_decisions_update AFTER UPDATE ON public.quality_mark_decisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.risk_terms_of_decisions();

--
-- Name: fraud_signals risk_terms_signals_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_terms_signals_insert AFTER INSERT ON public.fraud_signals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.risk_terms_of_signals();

--
-- Name: fraud_signals risk_terms_signals_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_terms_signals_update AFTER UPDATE ON public.fraud_signals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.risk_terms_of_signals();

--
-- Name: supervision_visits risk_terms_visits_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_terms_visits_delete AFTER DELETE ON public.supervision_visits REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.risk_terms_of_visits();

--
-- Name: supervision_visits risk_terms_visits_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_terms_visits_insert AFTER INSERT ON public.supervision_visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.risk_terms_of_visits();

--
-- Name: supervision_visits risk_terms_visits_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER risk_terms_visits_update AFTER UPDATE ON public.supervision_visits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.risk_terms_of_visits();

--
-- Name: school_replies school_replies_evidence_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER school_replies_evidence_delete AFTER DELETE ON public.school_replies REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: school_replies school_replies_evidence_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER school_replies_evidence_insert AFTER INSERT ON public.school_replies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: school_replies school_replies_evidence_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER school_replies_evidence_update AFTER UPDATE ON public.school_replies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: signal_relations signal_relations_evidence_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER signal_relations_evidence_delete AFTER DELETE ON public.signal_relations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_signal_pair();

--
-- Name: signal_relations signal_relations_evidence_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER signal_relations_evidence_insert AFTER INSERT ON public.signal_relations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_signal_pair();

--
-- Name: signal_relations signal_relations_evidence_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER signal_relations_evidence_update AFTER UPDATE ON public.signal_relations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_signal_pair();

--
-- Name: supervision_visits supervision_visits_evidence_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER supervision_visits_evidence_delete AFTER DELETE ON public.supervision_visits REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: supervision_visits supervision_visits_evidence_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER supervision_visits_evidence_insert AFTER INSERT ON public.supervision_visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: supervision_visits supervision_visits_evidence_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER supervision_visits_evidence_update AFTER UPDATE ON public.supervision_visits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_school();

--
-- Name: visit_findings visit_findings_evidence_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER visit_findings_evidence_delete AFTER DELETE ON public.visit_findings REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_visit();

--
-- Name: visit_findings visit_findings_evidence_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER visit_findings_evidence_insert AFTER INSERT ON public.visit_findings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_visit();

--
-- Name: visit_findings visit_findings_evidence_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER visit_findings_evidence_update AFTER UPDATE ON public.visit_findings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.note_evidence_change_by_visit();

--
-- Name: api_tokens api_tokens_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: api_tokens api_tokens_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id);

--
-- Name: contracts contracts_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: contracts contracts_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: fraud_signal_history fraud_signal_history_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fraud_signal_history
    ADD CONSTRAINT fraud_signal_history_id_fkey FOREIGN KEY (id) REFERENCES public.fraud_signals(id);

--
-- Name: fraud_signals fraud_signals_duplicate_of_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fraud_signals
    ADD CONSTRAINT fraud_signals_duplicate_of_fkey FOREIGN KEY (duplicate_of) REFERENCES public.fraud_signals(id);

--
-- Name: fraud_signals fraud_signals_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fraud_signals
    ADD CONSTRAINT fraud_signals_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: fraud_signals fraud_signals_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fraud_signals
    ADD CONSTRAINT fraud_signals_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: idempotency_keys idempotency_keys_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: idempotency_keys idempotency_keys_signal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_signal_id_fkey FOREIGN KEY (signal_id) REFERENCES public.fraud_signals(id) DEFERRABLE INITIALLY DEFERRED;

--
-- Name: procurement_checks procurement_checks_location_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_checks
    ADD CONSTRAINT procurement_checks_location_id_fkey FOREIGN KEY (school_id, location_id) REFERENCES public.school_locations(school_id, id);

--
-- Name: procurement_checks procurement_checks_model_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_checks
    ADD CONSTRAINT procurement_checks_model_version_fkey FOREIGN KEY (model_version) REFERENCES public.risk_models(version);

--
-- Name: procurement_checks procurement_checks_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_checks
    ADD CONSTRAINT procurement_checks_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: procurement_checks procurement_checks_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_checks
    ADD CONSTRAINT procurement_checks_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: procurement_decisions procurement_decisions_check_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procurement_decisions
    ADD CONSTRAINT procurement_decisions_check_id_fkey FOREIGN KEY (check_id) REFERENCES public.procurement_checks(id);

--
-- Name: quality_mark_decision_history quality_mark_decision_history_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_mark_decision_history
    ADD CONSTRAINT quality_mark_decision_history_id_fkey FOREIGN KEY (id) REFERENCES public.quality_mark_decisions(id);

--
-- Name: quality_mark_decisions quality_mark_decisions_ended_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_mark_decisions
    ADD CONSTRAINT quality_mark_decisions_ended_by_fkey FOREIGN KEY (ended_by) REFERENCES public.quality_mark_decisions(id) DEFERRABLE INITIALLY DEFERRED;

--
-- Name: quality_mark_decisions quality_mark_decisions_location_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_mark_decisions
    ADD CONSTRAINT quality_mark_decisions_location_id_fkey FOREIGN KEY (school_id, location_id) REFERENCES public.school_locations(school_id, id);

--
-- Name: quality_mark_decisions quality_mark_decisions_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_mark_decisions
    ADD CONSTRAINT quality_mark_decisions_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: school_evidence_generations school_evidence_generations_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_evidence_generations
    ADD CONSTRAINT school_evidence_generations_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id) ON DELETE CASCADE;

--
-- Name: school_locations school_locations_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_locations
    ADD CONSTRAINT school_locations_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: school_locations school_locations_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_locations
    ADD CONSTRAINT school_locations_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: school_name_keys school_name_keys_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_name_keys
    ADD CONSTRAINT school_name_keys_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: school_replies school_replies_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.school_replies
    ADD CONSTRAINT school_replies_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: schools schools_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schools
    ADD CONSTRAINT schools_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: signal_forwards signal_forwards_signal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_forwards
    ADD CONSTRAINT signal_forwards_signal_id_fkey FOREIGN KEY (signal_id) REFERENCES public.fraud_signals(id);

--
-- Name: signal_match_rejections signal_match_rejections_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_match_rejections
    ADD CONSTRAINT signal_match_rejections_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: signal_match_rejections signal_match_rejections_signal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_match_rejections
    ADD CONSTRAINT signal_match_rejections_signal_id_fkey FOREIGN KEY (signal_id) REFERENCES public.fraud_signals(id);

--
-- Name: signal_reference_counters_by_municipality signal_reference_counters_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_reference_counters_by_municipality
    ADD CONSTRAINT signal_reference_counters_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES public.municipalities(code);

--
-- Name: signal_relations signal_relations_related_signal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_relations
    ADD CONSTRAINT signal_relations_related_signal_id_fkey FOREIGN KEY (related_signal_id) REFERENCES public.fraud_signals(id);

--
-- Name: signal_relations signal_relations_signal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_relations
    ADD CONSTRAINT signal_relations_signal_id_fkey FOREIGN KEY (signal_id) REFERENCES public.fraud_signals(id);

--
-- Name: signal_school_links signal_school_links_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_school_links
    ADD CONSTRAINT signal_school_links_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: signal_school_links signal_school_links_signal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_school_links
    ADD CONSTRAINT signal_school_links_signal_id_fkey FOREIGN KEY (signal_id) REFERENCES public.fraud_signals(id);

--
-- Name: signal_transitions signal_transitions_signal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signal_transitions
    ADD CONSTRAINT signal_transitions_signal_id_fkey FOREIGN KEY (signal_id) REFERENCES public.fraud_signals(id);

--
-- Name: supervision_visits supervision_visits_location_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.supervision_visits
    ADD CONSTRAINT supervision_visits_location_id_fkey FOREIGN KEY (school_id, location_id) REFERENCES public.school_locations(school_id, id);

--
-- Name: supervision_visits supervision_visits_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.supervision_visits
    ADD CONSTRAINT supervision_visits_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);

--
-- Name: visit_findings visit_findings_visit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.visit_findings
    ADD CONSTRAINT visit_findings_visit_id_fkey FOREIGN KEY (visit_id) REFERENCES public.supervision_visits(id);

--
-- Name: web_sessions web_sessions_token_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_sessions
    ADD CONSTRAINT web_sessions_token_id_fkey FOREIGN KEY (token_id) REFERENCES public.api_tokens(id);

--
-- Name: webhook_attempts webhook_attempts_outbox_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_attempts
    ADD CONSTRAINT webhook_attempts_outbox_id_fkey FOREIGN KEY (outbox_id) REFERENCES public.webhook_outbox(id);

--
-- Name: webhook_outbox webhook_outbox_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_outbox
    ADD CONSTRAINT webhook_outbox_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.webhook_subscriptions(id);

--
-- Name: webhook_subscriptions webhook_subscriptions_filter_municipality_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_filter_municipality_code_fkey FOREIGN KEY (filter_municipality_code) REFERENCES public.municipalities(code);

--
-- Name: webhook_subscriptions webhook_subscriptions_filter_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_filter_school_id_fkey FOREIGN KEY (filter_school_id) REFERENCES public.schools(id);

--
-- Name: webhook_subscriptions webhook_subscriptions_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id);

--
-- PostgreSQL database dump complete
--
