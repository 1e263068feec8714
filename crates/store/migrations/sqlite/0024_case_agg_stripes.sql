-- The counts' stripes of PostgreSQL (its 0024: concurrent writers there no longer queue on one
-- count's row lock) have no use on SQLite, where one writer holds the database at a time: the
-- tables keep one row per key. Recorded so both databases carry the same migration numbers.
SELECT 1;
