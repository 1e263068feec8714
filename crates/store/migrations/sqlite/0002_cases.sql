-- The catalog as recorded (immutable versions), its publication per division, delegations, and cases.
CREATE TABLE item_versions (
    slug TEXT NOT NULL,
    version INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    reason TEXT NOT NULL,
    ordered_by TEXT NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    PRIMARY KEY (slug, version)
);

CREATE TABLE item_publications (
    slug TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    claimed_at_ms INTEGER,
    published_at_ms INTEGER,
    withdrawn_at_ms INTEGER,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (slug, division_code)
);

CREATE TABLE delegations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_slug TEXT NOT NULL,
    step TEXT NOT NULL,
    to_level TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    document TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX delegations_item ON delegations(item_slug, division_code);

CREATE TABLE case_counters (
    division_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (division_code, year)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    item_slug TEXT NOT NULL,
    item_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    step TEXT,
    accepting_division TEXT NOT NULL REFERENCES divisions(code),
    competent_division TEXT NOT NULL REFERENCES divisions(code),
    cross_region TEXT NOT NULL,
    channel TEXT NOT NULL,
    applicant_person_id INTEGER REFERENCES persons(id),
    submitted_at_ms INTEGER NOT NULL,
    accepted_at_ms INTEGER,
    closed_at_ms INTEGER,
    due_date TEXT,
    timer_due_ms INTEGER,
    revision INTEGER NOT NULL,
    idempotency_key TEXT UNIQUE,
    state TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE INDEX cases_accepting ON cases(accepting_division, status);
CREATE INDEX cases_competent ON cases(competent_division, status);
CREATE INDEX cases_item ON cases(item_slug, submitted_at_ms);
CREATE INDEX cases_timer ON cases(timer_due_ms);
