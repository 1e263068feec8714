-- The service metrics read counts, not cases: three tables hold the cases counted by everything
-- a figure reads, kept by triggers on `cases` in the same transaction as the row they count (a
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
) WITHOUT ROWID;

CREATE TABLE case_agg_closed (
    closed_day BIGINT NOT NULL,
    accepting_division TEXT NOT NULL,
    competent_division TEXT NOT NULL,
    accepted_day BIGINT NOT NULL,
    due_date TEXT NOT NULL,
    ledger BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (closed_day, accepting_division, competent_division, accepted_day, due_date, ledger)
) WITHOUT ROWID;

CREATE TABLE case_agg_open (
    accepting_division TEXT NOT NULL,
    competent_division TEXT NOT NULL,
    due_date TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (accepting_division, competent_division, due_date)
) WITHOUT ROWID;

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

-- Adding and removing one row's counts (used by the triggers below through NEW and OLD).
CREATE TRIGGER case_agg_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_agg_submitted VALUES ((NEW.submitted_at_ms + 28800000) / 86400000, NEW.accepting_division,
        NEW.competent_division, NEW.item_slug, NEW.item_version, NEW.channel, NEW.cross_region,
        CASE WHEN NEW.status = 'draft' THEN 1 ELSE 0 END, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO case_agg_closed SELECT (NEW.closed_at_ms + 28800000) / 86400000, NEW.accepting_division,
        NEW.competent_division, COALESCE((NEW.accepted_at_ms + 28800000) / 86400000, -1), COALESCE(NEW.due_date, ''),
        COALESCE(NEW.pause_count, -1), 1
        WHERE NEW.closed_at_ms IS NOT NULL AND (NEW.pause_count IS NULL OR NEW.pause_count = 0)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO case_agg_open SELECT NEW.accepting_division, NEW.competent_division, COALESCE(NEW.due_date, ''), 1
        WHERE NEW.closed_at_ms IS NULL AND NEW.status <> 'draft'
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_agg_delete AFTER DELETE ON cases BEGIN
    UPDATE case_agg_submitted SET n = n - 1 WHERE day = (OLD.submitted_at_ms + 28800000) / 86400000
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND item_slug = OLD.item_slug AND item_version = OLD.item_version AND channel = OLD.channel
        AND cross_region = OLD.cross_region AND draft = (CASE WHEN OLD.status = 'draft' THEN 1 ELSE 0 END);
    UPDATE case_agg_closed SET n = n - 1 WHERE OLD.closed_at_ms IS NOT NULL
        AND (OLD.pause_count IS NULL OR OLD.pause_count = 0)
        AND closed_day = (OLD.closed_at_ms + 28800000) / 86400000
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND accepted_day = COALESCE((OLD.accepted_at_ms + 28800000) / 86400000, -1)
        AND due_date = COALESCE(OLD.due_date, '') AND ledger = COALESCE(OLD.pause_count, -1);
    UPDATE case_agg_open SET n = n - 1 WHERE OLD.closed_at_ms IS NULL AND OLD.status <> 'draft'
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND due_date = COALESCE(OLD.due_date, '');
END;

-- An update moves a row's count only when what it is counted by changed (most acts change
-- none of it: the step and the state move, the divisions and the day do not).
CREATE TRIGGER case_agg_update_submitted AFTER UPDATE ON cases
    WHEN OLD.submitted_at_ms IS NOT NEW.submitted_at_ms OR OLD.accepting_division IS NOT NEW.accepting_division
        OR OLD.competent_division IS NOT NEW.competent_division OR OLD.item_slug IS NOT NEW.item_slug
        OR OLD.item_version IS NOT NEW.item_version OR OLD.channel IS NOT NEW.channel
        OR OLD.cross_region IS NOT NEW.cross_region OR (OLD.status = 'draft') IS NOT (NEW.status = 'draft')
BEGIN
    UPDATE case_agg_submitted SET n = n - 1 WHERE day = (OLD.submitted_at_ms + 28800000) / 86400000
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND item_slug = OLD.item_slug AND item_version = OLD.item_version AND channel = OLD.channel
        AND cross_region = OLD.cross_region AND draft = (CASE WHEN OLD.status = 'draft' THEN 1 ELSE 0 END);
    INSERT INTO case_agg_submitted VALUES ((NEW.submitted_at_ms + 28800000) / 86400000, NEW.accepting_division,
        NEW.competent_division, NEW.item_slug, NEW.item_version, NEW.channel, NEW.cross_region,
        CASE WHEN NEW.status = 'draft' THEN 1 ELSE 0 END, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_agg_update_closed AFTER UPDATE ON cases
    WHEN OLD.closed_at_ms IS NOT NEW.closed_at_ms OR OLD.accepting_division IS NOT NEW.accepting_division
        OR OLD.competent_division IS NOT NEW.competent_division OR OLD.accepted_at_ms IS NOT NEW.accepted_at_ms
        OR OLD.due_date IS NOT NEW.due_date OR OLD.pause_count IS NOT NEW.pause_count
BEGIN
    UPDATE case_agg_closed SET n = n - 1 WHERE OLD.closed_at_ms IS NOT NULL
        AND (OLD.pause_count IS NULL OR OLD.pause_count = 0)
        AND closed_day = (OLD.closed_at_ms + 28800000) / 86400000
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND accepted_day = COALESCE((OLD.accepted_at_ms + 28800000) / 86400000, -1)
        AND due_date = COALESCE(OLD.due_date, '') AND ledger = COALESCE(OLD.pause_count, -1);
    INSERT INTO case_agg_closed SELECT (NEW.closed_at_ms + 28800000) / 86400000, NEW.accepting_division,
        NEW.competent_division, COALESCE((NEW.accepted_at_ms + 28800000) / 86400000, -1), COALESCE(NEW.due_date, ''),
        COALESCE(NEW.pause_count, -1), 1
        WHERE NEW.closed_at_ms IS NOT NULL AND (NEW.pause_count IS NULL OR NEW.pause_count = 0)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_agg_update_open AFTER UPDATE ON cases
    WHEN (OLD.closed_at_ms IS NULL AND OLD.status <> 'draft') IS NOT (NEW.closed_at_ms IS NULL AND NEW.status <> 'draft')
        OR OLD.accepting_division IS NOT NEW.accepting_division OR OLD.competent_division IS NOT NEW.competent_division
        OR OLD.due_date IS NOT NEW.due_date
BEGIN
    UPDATE case_agg_open SET n = n - 1 WHERE OLD.closed_at_ms IS NULL AND OLD.status <> 'draft'
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND due_date = COALESCE(OLD.due_date, '');
    INSERT INTO case_agg_open SELECT NEW.accepting_division, NEW.competent_division, COALESCE(NEW.due_date, ''), 1
        WHERE NEW.closed_at_ms IS NULL AND NEW.status <> 'draft'
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The annual report's 跨省通办 figures read the year's cases of one class (few): found by class.
CREATE INDEX cases_cross_region ON cases(cross_region, submitted_at_ms);
