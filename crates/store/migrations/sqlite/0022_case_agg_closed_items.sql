-- The closed cases without pauses counted by item as well (the annual report's time used by
-- item): the keys the average working days read (accepting and closing day, ledger) with the
-- item, kept by triggers on `cases` in the row's own transaction like the counts of 0020.
-- `store::stats::case_aggregate_drift` recounts it from the rows.
CREATE TABLE case_agg_closed_items (
    closed_day BIGINT NOT NULL,
    accepting_division TEXT NOT NULL,
    competent_division TEXT NOT NULL,
    item_slug TEXT NOT NULL,
    accepted_day BIGINT NOT NULL,
    ledger BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger)
) WITHOUT ROWID;

INSERT INTO case_agg_closed_items
    SELECT (closed_at_ms + 28800000) / 86400000, accepting_division, competent_division, item_slug,
           COALESCE((accepted_at_ms + 28800000) / 86400000, -1), COALESCE(pause_count, -1), COUNT(*)
    FROM cases WHERE closed_at_ms IS NOT NULL AND (pause_count IS NULL OR pause_count = 0) GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER case_agg_items_insert AFTER INSERT ON cases
    WHEN NEW.closed_at_ms IS NOT NULL AND (NEW.pause_count IS NULL OR NEW.pause_count = 0)
BEGIN
    INSERT INTO case_agg_closed_items VALUES ((NEW.closed_at_ms + 28800000) / 86400000, NEW.accepting_division,
        NEW.competent_division, NEW.item_slug, COALESCE((NEW.accepted_at_ms + 28800000) / 86400000, -1),
        COALESCE(NEW.pause_count, -1), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_agg_items_delete AFTER DELETE ON cases
    WHEN OLD.closed_at_ms IS NOT NULL AND (OLD.pause_count IS NULL OR OLD.pause_count = 0)
BEGIN
    UPDATE case_agg_closed_items SET n = n - 1 WHERE closed_day = (OLD.closed_at_ms + 28800000) / 86400000
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND item_slug = OLD.item_slug AND accepted_day = COALESCE((OLD.accepted_at_ms + 28800000) / 86400000, -1)
        AND ledger = COALESCE(OLD.pause_count, -1);
END;

CREATE TRIGGER case_agg_items_update AFTER UPDATE ON cases
    WHEN OLD.closed_at_ms IS NOT NEW.closed_at_ms OR OLD.accepting_division IS NOT NEW.accepting_division
        OR OLD.competent_division IS NOT NEW.competent_division OR OLD.item_slug IS NOT NEW.item_slug
        OR OLD.accepted_at_ms IS NOT NEW.accepted_at_ms OR OLD.pause_count IS NOT NEW.pause_count
BEGIN
    UPDATE case_agg_closed_items SET n = n - 1 WHERE OLD.closed_at_ms IS NOT NULL
        AND (OLD.pause_count IS NULL OR OLD.pause_count = 0)
        AND closed_day = (OLD.closed_at_ms + 28800000) / 86400000
        AND accepting_division = OLD.accepting_division AND competent_division = OLD.competent_division
        AND item_slug = OLD.item_slug AND accepted_day = COALESCE((OLD.accepted_at_ms + 28800000) / 86400000, -1)
        AND ledger = COALESCE(OLD.pause_count, -1);
    INSERT INTO case_agg_closed_items SELECT (NEW.closed_at_ms + 28800000) / 86400000, NEW.accepting_division,
        NEW.competent_division, NEW.item_slug, COALESCE((NEW.accepted_at_ms + 28800000) / 86400000, -1),
        COALESCE(NEW.pause_count, -1), 1
        WHERE NEW.closed_at_ms IS NOT NULL AND (NEW.pause_count IS NULL OR NEW.pause_count = 0)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
