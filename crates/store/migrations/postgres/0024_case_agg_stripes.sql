-- Concurrent writers no longer queue on one count. Every submission at an office on a day adds
-- to the same row of case_agg_submitted and case_agg_open (and closing acts to one row of the
-- closed counts); PostgreSQL holds that row's lock until the adding transaction's commit is on
-- disk, so the submissions of one office committed one WAL flush after another. Each count is now
-- kept in up to 8 stripes, the one a transaction writes chosen by its server process
-- (pg_backend_pid() % 8): transactions on different connections add to different rows, their
-- commits share a flush. A figure is the sum over the stripes (every reader groups and sums
-- already: `store::stats`); a stripe alone may be negative (a case counted in one stripe and
-- removed in another) and means nothing by itself.
ALTER TABLE case_agg_submitted ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE case_agg_submitted DROP CONSTRAINT case_agg_submitted_pkey;
ALTER TABLE case_agg_submitted ADD PRIMARY KEY
    (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft, stripe);

ALTER TABLE case_agg_closed ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE case_agg_closed DROP CONSTRAINT case_agg_closed_pkey;
ALTER TABLE case_agg_closed ADD PRIMARY KEY
    (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger, stripe);

ALTER TABLE case_agg_closed_items ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE case_agg_closed_items DROP CONSTRAINT case_agg_closed_items_pkey;
ALTER TABLE case_agg_closed_items ADD PRIMARY KEY
    (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger, stripe);

ALTER TABLE case_agg_open ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE case_agg_open DROP CONSTRAINT case_agg_open_pkey;
ALTER TABLE case_agg_open ADD PRIMARY KEY (accepting_division, competent_division, due_date, stripe);

-- The stripe this transaction's server process writes.
CREATE FUNCTION case_agg_stripe() RETURNS SMALLINT LANGUAGE sql STABLE AS $$
    SELECT CAST(pg_backend_pid() % 8 AS SMALLINT);
$$;

CREATE OR REPLACE FUNCTION case_agg_submitted_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_submitted
        (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft, n, stripe)
    VALUES ((r.submitted_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, r.item_slug, r.item_version, r.channel, r.cross_region,
        CASE WHEN r.status = 'draft' THEN 1 ELSE 0 END, d, case_agg_stripe())
    ON CONFLICT (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft, stripe)
    DO UPDATE SET n = case_agg_submitted.n + EXCLUDED.n;
$$;

CREATE OR REPLACE FUNCTION case_agg_closed_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_closed (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger, n, stripe)
    SELECT (r.closed_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1), COALESCE(r.due_date, ''),
        COALESCE(r.pause_count, -1), d, case_agg_stripe()
    WHERE r.closed_at_ms IS NOT NULL AND (r.pause_count IS NULL OR r.pause_count = 0)
    ON CONFLICT (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger, stripe)
    DO UPDATE SET n = case_agg_closed.n + EXCLUDED.n;
$$;

CREATE OR REPLACE FUNCTION case_agg_closed_items_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_closed_items
        (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger, n, stripe)
    SELECT (r.closed_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, r.item_slug, COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1),
        COALESCE(r.pause_count, -1), d, case_agg_stripe()
    WHERE r.closed_at_ms IS NOT NULL AND (r.pause_count IS NULL OR r.pause_count = 0)
    ON CONFLICT (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger, stripe)
    DO UPDATE SET n = case_agg_closed_items.n + EXCLUDED.n;
$$;

CREATE OR REPLACE FUNCTION case_agg_open_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_open (accepting_division, competent_division, due_date, n, stripe)
    SELECT r.accepting_division, r.competent_division, COALESCE(r.due_date, ''), d, case_agg_stripe()
    WHERE r.closed_at_ms IS NULL AND r.status <> 'draft'
    ON CONFLICT (accepting_division, competent_division, due_date, stripe)
    DO UPDATE SET n = case_agg_open.n + EXCLUDED.n;
$$;
