-- Issue 5, round 3.
-- The county's home visit (入户调查) of a case registered separately because the applicant is a
-- relative of a caseworker or village cadre (单独登记备案, 社会救助暂行办法; 民发〔2021〕57号 低保 step 1: "the county must
-- do a home visit for such cases"). A flagged case cannot be confirmed until one is recorded here.
CREATE TABLE assistance_home_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    visited_on TEXT NOT NULL,
    division TEXT NOT NULL,
    visitor TEXT NOT NULL,
    findings TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX assistance_home_visits_case ON assistance_home_visits(case_id);
-- The last day a once-a-day job of the sweep ran (the 低保 re-check scan): durable, so a restart or a
-- second server does not read every decision again the same day.
CREATE TABLE sweep_marks (
    job TEXT PRIMARY KEY,
    last_day TEXT NOT NULL
);
