-- PostgreSQL's 0027 keeps its counts by one PL/pgSQL trigger that runs only the statements a
-- change moves; SQLite's triggers already fire only when their keys changed (their WHEN clauses).
-- Recorded so both databases carry the same migration numbers.
SELECT 1;
