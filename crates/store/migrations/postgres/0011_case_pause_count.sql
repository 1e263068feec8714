-- The service metrics are aggregated in SQL: the average working days of a closed case
-- deduct its pauses, which only its state records. pause_count says how many it has, so the
-- metrics group the cases without pauses by (accepted day, closed day) and read the state of the
-- few others. NULL: the state has no pause ledger (counted as without pauses, and said so).
-- Written with the other derived columns on every act; existing rows are filled from their state
-- (every state is JSON written by the service).
ALTER TABLE cases ADD COLUMN pause_count BIGINT;
UPDATE cases SET pause_count = jsonb_array_length(state::jsonb -> 'pauses')
    WHERE jsonb_typeof(state::jsonb -> 'pauses') = 'array';
