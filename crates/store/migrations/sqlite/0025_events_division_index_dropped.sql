-- No query reads the record by division: every reading is by stream (a case's history), by seq
-- (verification, export, node replication) or counts. The index on (division_code, seq) cost a
-- page written with every event (one of the six to eleven pages an act commits) for no reader.
DROP INDEX IF EXISTS audit_events_division;
