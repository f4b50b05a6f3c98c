-- Search results in order of relevance, so that an exact match is on the first page however many
-- schools contain the text: 0 the registered name or a trade name is the text (folded), 1 the name
-- starts with it, 2 the name or a trade name contains it, 3 only a similar word (pg_trgm). Without a
-- text every school ranks 0. An integer, so a page's last row gives the cursor of the next page.

CREATE FUNCTION school_search_rank(name text, trade_names text[], term text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN term IS NULL THEN 0
        WHEN public.fold_text(name) = public.fold_text(term)
             OR public.fold_text(term) = ANY (SELECT public.fold_text(t) FROM unnest(trade_names) AS t) THEN 0
        WHEN starts_with(public.fold_text(name), public.fold_text(term)) THEN 1
        WHEN strpos(public.school_search_text(name, trade_names), public.fold_text(term)) > 0 THEN 2
        ELSE 3
    END;
