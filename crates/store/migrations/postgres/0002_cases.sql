-- The catalog as recorded (immutable versions), its publication per division, delegations, and cases.
CREATE TABLE item_versions (
    slug TEXT NOT NULL,
    version BIGINT NOT NULL,
    effective_from TEXT NOT NULL,
    name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    reason TEXT NOT NULL,
    ordered_by TEXT NOT NULL,
    recorded_at_ms BIGINT NOT NULL,
    PRIMARY KEY (slug, version)
);

CREATE TABLE item_publications (
    slug TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    claimed_at_ms BIGINT,
    published_at_ms BIGINT,
    withdrawn_at_ms BIGINT,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (slug, division_code)
);

CREATE TABLE delegations (
    id BIGSERIAL PRIMARY KEY,
    item_slug TEXT NOT NULL,
    step TEXT NOT NULL,
    to_level TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    document TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX delegations_item ON delegations(item_slug, division_code);

CREATE TABLE case_counters (
    division_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (division_code, year)
);

CREATE TABLE cases (
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    item_slug TEXT NOT NULL,
    item_version BIGINT NOT NULL,
    status TEXT NOT NULL,
    step TEXT,
    accepting_division TEXT NOT NULL REFERENCES divisions(code),
    competent_division TEXT NOT NULL REFERENCES divisions(code),
    cross_region TEXT NOT NULL,
    channel TEXT NOT NULL,
    applicant_person_id BIGINT REFERENCES persons(id),
    submitted_at_ms BIGINT NOT NULL,
    accepted_at_ms BIGINT,
    closed_at_ms BIGINT,
    due_date TEXT,
    timer_due_ms BIGINT,
    revision BIGINT NOT NULL,
    idempotency_key TEXT UNIQUE,
    state TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX cases_accepting ON cases(accepting_division, status);
CREATE INDEX cases_competent ON cases(competent_division, status);
CREATE INDEX cases_item ON cases(item_slug, submitted_at_ms);
CREATE INDEX cases_timer ON cases(timer_due_ms);
