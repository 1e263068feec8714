-- The service metrics read counts, not cases: three tables hold the cases counted by everything
-- a figure reads, kept by a trigger on `cases` in the same transaction as the row they count (a
-- submission, an act, the bulk load), so no writer can forget them and a rolled-back act leaves
-- them untouched. A year's figures then read a few thousand counts, not a million rows.
--   case_agg_submitted: every case by its Shanghai day of submission (drafts flagged);
--   case_agg_closed: closed cases without pauses (pause_count 0, or NULL: no ledger) by closing
--     day, accepting day (-1: never accepted), due date ('' none) and ledger (-1: none); the few
--     with pauses are read whole, their ledger is in their state;
--   case_agg_open: open cases (submitted, not closed) by due date ('' none).
-- Day numbers are days since 1970-01-01 in Asia/Shanghai (UTC+8): (ms + 28800000) / 86400000.
-- A count may reach 0 and stay (readers skip it). `store::stats::case_aggregate_drift` recounts
-- them from the rows.
CREATE TABLE case_agg_submitted (
    day BIGINT NOT NULL,
    accepting_division TEXT NOT NULL,
    competent_division TEXT NOT NULL,
    item_slug TEXT NOT NULL,
    item_version BIGINT NOT NULL,
    channel TEXT NOT NULL,
    cross_region TEXT NOT NULL,
    draft BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft)
);

CREATE TABLE case_agg_closed (
    closed_day BIGINT NOT NULL,
    accepting_division TEXT NOT NULL,
    competent_division TEXT NOT NULL,
    accepted_day BIGINT NOT NULL,
    due_date TEXT NOT NULL,
    ledger BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger)
);

CREATE TABLE case_agg_open (
    accepting_division TEXT NOT NULL,
    competent_division TEXT NOT NULL,
    due_date TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (accepting_division, competent_division, due_date)
);

INSERT INTO case_agg_submitted
    SELECT (submitted_at_ms + 28800000) / 86400000, accepting_division, competent_division, item_slug, item_version,
           channel, cross_region, CASE WHEN status = 'draft' THEN 1 ELSE 0 END, COUNT(*)
    FROM cases GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO case_agg_closed
    SELECT (closed_at_ms + 28800000) / 86400000, accepting_division, competent_division,
           COALESCE((accepted_at_ms + 28800000) / 86400000, -1), COALESCE(due_date, ''), COALESCE(pause_count, -1),
           COUNT(*)
    FROM cases WHERE closed_at_ms IS NOT NULL AND (pause_count IS NULL OR pause_count = 0) GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO case_agg_open
    SELECT accepting_division, competent_division, COALESCE(due_date, ''), COUNT(*)
    FROM cases WHERE closed_at_ms IS NULL AND status <> 'draft' GROUP BY 1, 2, 3;

-- One row's counts, added (d = 1) or removed (d = -1), table by table.
CREATE FUNCTION case_agg_submitted_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_submitted VALUES ((r.submitted_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, r.item_slug, r.item_version, r.channel, r.cross_region,
        CASE WHEN r.status = 'draft' THEN 1 ELSE 0 END, d)
    ON CONFLICT (day, accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft)
    DO UPDATE SET n = case_agg_submitted.n + EXCLUDED.n;
$$;

CREATE FUNCTION case_agg_closed_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_closed SELECT (r.closed_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1), COALESCE(r.due_date, ''),
        COALESCE(r.pause_count, -1), d
    WHERE r.closed_at_ms IS NOT NULL AND (r.pause_count IS NULL OR r.pause_count = 0)
    ON CONFLICT (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger)
    DO UPDATE SET n = case_agg_closed.n + EXCLUDED.n;
$$;

CREATE FUNCTION case_agg_open_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_open SELECT r.accepting_division, r.competent_division, COALESCE(r.due_date, ''), d
    WHERE r.closed_at_ms IS NULL AND r.status <> 'draft'
    ON CONFLICT (accepting_division, competent_division, due_date) DO UPDATE SET n = case_agg_open.n + EXCLUDED.n;
$$;

-- An update moves a row's count only when what it is counted by changed (most acts change
-- none of it: the step and the state move, the divisions and the day do not).
CREATE FUNCTION case_agg_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM case_agg_submitted_add(NEW, 1);
        PERFORM case_agg_closed_add(NEW, 1);
        PERFORM case_agg_open_add(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM case_agg_submitted_add(OLD, -1);
        PERFORM case_agg_closed_add(OLD, -1);
        PERFORM case_agg_open_add(OLD, -1);
    ELSE
        IF (OLD.submitted_at_ms, OLD.accepting_division, OLD.competent_division, OLD.item_slug, OLD.item_version,
            OLD.channel, OLD.cross_region, OLD.status = 'draft')
           IS DISTINCT FROM (NEW.submitted_at_ms, NEW.accepting_division, NEW.competent_division, NEW.item_slug,
            NEW.item_version, NEW.channel, NEW.cross_region, NEW.status = 'draft') THEN
            PERFORM case_agg_submitted_add(OLD, -1);
            PERFORM case_agg_submitted_add(NEW, 1);
        END IF;
        IF (OLD.closed_at_ms, OLD.accepting_division, OLD.competent_division, OLD.accepted_at_ms, OLD.due_date,
            OLD.pause_count)
           IS DISTINCT FROM (NEW.closed_at_ms, NEW.accepting_division, NEW.competent_division, NEW.accepted_at_ms,
            NEW.due_date, NEW.pause_count) THEN
            PERFORM case_agg_closed_add(OLD, -1);
            PERFORM case_agg_closed_add(NEW, 1);
        END IF;
        IF (OLD.closed_at_ms IS NULL AND OLD.status <> 'draft', OLD.accepting_division, OLD.competent_division,
            OLD.due_date)
           IS DISTINCT FROM (NEW.closed_at_ms IS NULL AND NEW.status <> 'draft', NEW.accepting_division,
            NEW.competent_division, NEW.due_date) THEN
            PERFORM case_agg_open_add(OLD, -1);
            PERFORM case_agg_open_add(NEW, 1);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER case_agg AFTER INSERT OR UPDATE OR DELETE ON cases FOR EACH ROW EXECUTE FUNCTION case_agg_trigger();

-- The annual report's 跨省通办 figures read the year's cases of one class (few): found by class.
CREATE INDEX cases_cross_region ON cases(cross_region, submitted_at_ms);
