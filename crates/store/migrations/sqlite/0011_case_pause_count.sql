-- The service metrics are aggregated in SQL: the average working days of a closed case
-- deduct its pauses, which only its state records. pause_count says how many it has, so the
-- metrics group the cases without pauses by (accepted day, closed day) and read the state of the
-- few others. NULL: the state has no pause ledger (counted as without pauses, and said so).
-- Written with the other derived columns on every act; existing rows are filled from their state.
ALTER TABLE cases ADD COLUMN pause_count BIGINT;
UPDATE cases SET pause_count = json_array_length(state, '$.pauses')
    WHERE json_valid(state) AND json_type(state, '$.pauses') = 'array';

-- SQLite keeps each row's state (several kB of JSON) inside the table, so any read of a period's
-- rows walks pages that are mostly state. The grouped reads of the metrics find every column
-- they need in these two indexes instead (covering: no table page is read); they replace 0008's
-- one-column indexes, whose leading column they keep. (PostgreSQL moves a large state out of
-- line — TOAST — and keeps heap-only updates with one-column indexes: 0008's stay there.)
DROP INDEX cases_submitted;
DROP INDEX cases_closed;
CREATE INDEX cases_submitted_stats ON cases(submitted_at_ms, accepting_division, competent_division, item_slug,
    item_version, channel, cross_region, status);
CREATE INDEX cases_closed_stats ON cases(closed_at_ms, accepting_division, competent_division, accepted_at_ms,
    due_date, pause_count, status);
