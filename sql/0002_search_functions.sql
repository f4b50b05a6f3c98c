-- Text folding for case- and diacritic-insensitive search.
--
-- unaccent() is only STABLE (it reads its dictionary through the search path), so it cannot be
-- used in an index expression. With the dictionary named explicitly and schema-qualified, the
-- result depends on nothing but its input, which makes IMMUTABLE truthful here.

CREATE FUNCTION fold_text(input text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, input));

-- The text a school is found by: its registered name and every trade name, folded.
-- array_to_string() is STABLE only because it is generic over element types; for text[] it is
-- immutable.
CREATE FUNCTION school_search_text(name text, trade_names text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN public.fold_text(name || ' ' || coalesce(array_to_string(trade_names, ' '), ''));
