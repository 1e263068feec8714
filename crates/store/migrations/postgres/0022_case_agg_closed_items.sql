-- The closed cases without pauses counted by item as well (the annual report's time used by
-- item): the keys the average working days read (accepting and closing day, ledger) with the
-- item, kept by a trigger on `cases` in the row's own transaction like the counts of 0020.
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
);

INSERT INTO case_agg_closed_items
    SELECT (closed_at_ms + 28800000) / 86400000, accepting_division, competent_division, item_slug,
           COALESCE((accepted_at_ms + 28800000) / 86400000, -1), COALESCE(pause_count, -1), COUNT(*)
    FROM cases WHERE closed_at_ms IS NOT NULL AND (pause_count IS NULL OR pause_count = 0) GROUP BY 1, 2, 3, 4, 5, 6;

CREATE FUNCTION case_agg_closed_items_add(r cases, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_agg_closed_items SELECT (r.closed_at_ms + 28800000) / 86400000, r.accepting_division,
        r.competent_division, r.item_slug, COALESCE((r.accepted_at_ms + 28800000) / 86400000, -1),
        COALESCE(r.pause_count, -1), d
    WHERE r.closed_at_ms IS NOT NULL AND (r.pause_count IS NULL OR r.pause_count = 0)
    ON CONFLICT (closed_day, accepting_division, competent_division, item_slug, accepted_day, ledger)
    DO UPDATE SET n = case_agg_closed_items.n + EXCLUDED.n;
$$;

-- An update moves the count only when a key changed (most acts change none: a case closes once).
CREATE FUNCTION case_agg_items_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM case_agg_closed_items_add(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM case_agg_closed_items_add(OLD, -1);
    ELSIF (OLD.closed_at_ms, OLD.accepting_division, OLD.competent_division, OLD.item_slug, OLD.accepted_at_ms,
           OLD.pause_count)
          IS DISTINCT FROM (NEW.closed_at_ms, NEW.accepting_division, NEW.competent_division, NEW.item_slug,
           NEW.accepted_at_ms, NEW.pause_count) THEN
        PERFORM case_agg_closed_items_add(OLD, -1);
        PERFORM case_agg_closed_items_add(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER case_agg_items AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_agg_items_trigger();
