-- PostgreSQL's 0026 rewrites the kept counts' helper functions in PL/pgSQL (their plans kept for
-- the session); SQLite keeps the counts with its triggers and has no such functions. Recorded so
-- both databases carry the same migration numbers.
SELECT 1;
