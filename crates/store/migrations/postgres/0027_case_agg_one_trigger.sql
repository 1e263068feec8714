-- The kept counts by one trigger that writes only the counts a change moves. Before, two triggers
-- fired on every write to a case and called the helpers of 0026 four to eight times through
-- PERFORM: each call a statement that runs a function that runs the statement, and half of them
-- wrote nothing (a submission is never closed). Under load from HTTP submissions the triggers
-- were a third of PostgreSQL's CPU. Now the one trigger decides in PL/pgSQL which counts a write
-- moves and runs only their statements, each planned once per session. Same counts: a key that
-- did not change moves nothing; a changed one takes the old row's count out and puts the new
-- row's in, in this transaction's stripe (0024).
CREATE OR REPLACE FUNCTION case_agg_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    this_stripe SMALLINT := CAST(pg_backend_pid() % 8 AS SMALLINT);
    submitted_moved BOOLEAN := TG_OP <> 'UPDATE';
    closed_moved BOOLEAN := TG_OP <> 'UPDATE';
    items_moved BOOLEAN := TG_OP <> 'UPDATE';
    open_moved BOOLEAN := TG_OP <> 'UPDATE';
    r cases;
    d BIGINT;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        submitted_moved := (OLD.submitted_at_ms, OLD.accepting_division, OLD.competent_division, OLD.item_slug,
            OLD.item_version, OLD.channel, OLD.cross_region, OLD.status = 'draft')
            IS DISTINCT FROM (NEW.submitted_at_ms, NEW.accepting_division, NEW.competent_division, NEW.item_slug,
            NEW.item_version, NEW.channel, NEW.cross_region, NEW.status = 'draft');
        closed_moved := (OLD.closed_at_ms, OLD.accepting_division, OLD.competent_division, OLD.accepted_at_ms,
            OLD.due_date, OLD.pause_count)
            IS DISTINCT FROM (NEW.closed_at_ms, NEW.accepting_division, NEW.competent_division, NEW.accepted_at_ms,
            NEW.due_date, NEW.pause_count);
        items_moved := (OLD.closed_at_ms, OLD.accepting_division, OLD.competent_division, OLD.item_slug,
            OLD.accepted_at_ms, OLD.pause_count)
            IS DISTINCT FROM (NEW.closed_at_ms, NEW.accepting_division, NEW.competent_division, NEW.item_slug,
            NEW.accepted_at_ms, NEW.pause_count);
        open_moved := (OLD.closed_at_ms IS NULL AND OLD.status <> 'draft', OLD.accepting_division,
            OLD.competent_division, OLD.due_date)
            IS DISTINCT FROM (NEW.closed_at_ms IS NULL AND NEW.status <> 'draft', NEW.accepting_division,
            NEW.competent_division, NEW.due_date);
        IF NOT (submitted_moved OR closed_moved OR items_moved OR open_moved) THEN
            RETURN NULL;
        END IF;
    END IF;
    -- The old row's counts out (an update or a delete), then the new row's in (an insert or an update).
    FOR side IN 1..2 LOOP
        CONTINUE WHEN (side = 1 AND TG_OP = 'INSERT') OR (side = 2 AND TG_OP = 'DELETE');
        IF side = 1 THEN
            r := OLD;
            d := -1;
        ELSE
            r := NEW;
            d := 1;
        END IF;
        IF submitted_moved THEN
            INSERT INTO case_agg_submitted
                (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft,
                 n, stripe)
            VALUES ((r.submitted_at_ms + 28800000) / 86400000, r.accepting_division, r.competent_division,
                r.item_slug, r.item_version, r.channel, r.cross_region, CASE WHEN r.status = 'draft' THEN 1 ELSE 0 END,
                d, this_stripe)
            ON CONFLICT (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region,
                draft, stripe)
            DO UPDATE SET n = case_agg_submitted.n + EXCLUDED.n;
        END IF;
        IF r.closed_at_ms IS NOT NULL AND (r.pause_count IS NULL OR r.pause_count = 0) THEN
            IF closed_moved THEN
                INSERT INTO case_agg_closed
                    (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger, n, stripe)
                VALUES ((r.closed_at_ms + 28800000) / 86400000, r.accepting_division, r.competent_division,
                    COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1), COALESCE(r.due_date, ''),
                    COALESCE(r.pause_count, -1), d, this_stripe)
                ON CONFLICT (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger, stripe)
                DO UPDATE SET n = case_agg_closed.n + EXCLUDED.n;
            END IF;
            IF items_moved THEN
                INSERT INTO case_agg_closed_items
                    (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger, n, stripe)
                VALUES ((r.closed_at_ms + 28800000) / 86400000, r.accepting_division, r.competent_division,
                    r.item_slug, COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1), COALESCE(r.pause_count, -1),
                    d, this_stripe)
                ON CONFLICT (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger,
                    stripe)
                DO UPDATE SET n = case_agg_closed_items.n + EXCLUDED.n;
            END IF;
        END IF;
        IF open_moved AND r.closed_at_ms IS NULL AND r.status <> 'draft' THEN
            INSERT INTO case_agg_open (accepting_division, competent_division, due_date, n, stripe)
            VALUES (r.accepting_division, r.competent_division, COALESCE(r.due_date, ''), d, this_stripe)
            ON CONFLICT (accepting_division, competent_division, due_date, stripe)
            DO UPDATE SET n = case_agg_open.n + EXCLUDED.n;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

-- The closed counts by item are kept by the trigger above now.
DROP TRIGGER case_agg_items ON cases;
DROP FUNCTION case_agg_items_trigger();
