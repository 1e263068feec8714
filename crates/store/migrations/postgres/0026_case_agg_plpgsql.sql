-- The kept counts' helpers in PL/pgSQL instead of SQL. PostgreSQL (before 18) parses and plans
-- the body of a non-inlinable SQL function at every call; the trigger calls two or three of them
-- on every write to a case, and under load that parsing was a sixth of the server's CPU
-- (`fmgr_sql` 8 % of the machine's samples at 16 clients). PL/pgSQL keeps each statement's plan
-- for the session. Same bodies, same results.
CREATE OR REPLACE FUNCTION case_agg_submitted_add(r cases, d BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_agg_submitted
        (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft, n, stripe)
    VALUES ((r.submitted_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, r.item_slug, r.item_version, r.channel, r.cross_region,
        CASE WHEN r.status = 'draft' THEN 1 ELSE 0 END, d, case_agg_stripe())
    ON CONFLICT (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft, stripe)
    DO UPDATE SET n = case_agg_submitted.n + EXCLUDED.n;
END;
$$;

CREATE OR REPLACE FUNCTION case_agg_closed_add(r cases, d BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_agg_closed (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger, n, stripe)
    SELECT (r.closed_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1), COALESCE(r.due_date, ''),
        COALESCE(r.pause_count, -1), d, case_agg_stripe()
    WHERE r.closed_at_ms IS NOT NULL AND (r.pause_count IS NULL OR r.pause_count = 0)
    ON CONFLICT (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger, stripe)
    DO UPDATE SET n = case_agg_closed.n + EXCLUDED.n;
END;
$$;

CREATE OR REPLACE FUNCTION case_agg_closed_items_add(r cases, d BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_agg_closed_items
        (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger, n, stripe)
    SELECT (r.closed_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, r.item_slug, COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1),
        COALESCE(r.pause_count, -1), d, case_agg_stripe()
    WHERE r.closed_at_ms IS NOT NULL AND (r.pause_count IS NULL OR r.pause_count = 0)
    ON CONFLICT (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger, stripe)
    DO UPDATE SET n = case_agg_closed_items.n + EXCLUDED.n;
END;
$$;

CREATE OR REPLACE FUNCTION case_agg_open_add(r cases, d BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_agg_open (accepting_division, competent_division, due_date, n, stripe)
    SELECT r.accepting_division, r.competent_division, COALESCE(r.due_date, ''), d, case_agg_stripe()
    WHERE r.closed_at_ms IS NULL AND r.status <> 'draft'
    ON CONFLICT (accepting_division, competent_division, due_date, stripe)
    DO UPDATE SET n = case_agg_open.n + EXCLUDED.n;
END;
$$;
