-- 好差评: one rating per case (the primary key refuses a second), given after completion. The
-- rating's event is on the case's record stream, committed with this row.
CREATE TABLE case_ratings (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    grade TEXT NOT NULL,
    comment TEXT NOT NULL,
    accepting_division TEXT NOT NULL,
    competent_division TEXT NOT NULL,
    rated_at_ms BIGINT NOT NULL
);
CREATE INDEX case_ratings_rated_at ON case_ratings(rated_at_ms);
