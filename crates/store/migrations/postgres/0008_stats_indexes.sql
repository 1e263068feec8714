-- The service metrics read a period's cases by submission and by closing, and the open ones
-- (closed_at_ms IS NULL): without these, each of the three reads scans the whole table
-- (bench stats: see BENCHMARKS.md). closed_at_ms changes once in a case's life, so acts stay
-- heap-only updates on PostgreSQL except the closing one.
CREATE INDEX cases_submitted ON cases(submitted_at_ms);
CREATE INDEX cases_closed ON cases(closed_at_ms);
