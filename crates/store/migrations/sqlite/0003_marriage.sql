-- The marital-status registry (婚姻登记信息): one row per registration; the status is folded from
-- them (domain::marriage::registry). `marital_current` holds one row per married person, so two
-- registrations of the same person at once cannot both commit (primary key). Certificate numbers
-- come from one counter per office and year.
CREATE TABLE marital_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    office TEXT NOT NULL REFERENCES divisions(code),
    on_date TEXT NOT NULL,
    person_a INTEGER NOT NULL REFERENCES persons(id),
    person_b INTEGER REFERENCES persons(id),
    certificate_number TEXT UNIQUE,
    case_id INTEGER REFERENCES cases(id),
    cross_region TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX marital_registrations_a ON marital_registrations(person_a);
CREATE INDEX marital_registrations_b ON marital_registrations(person_b);
CREATE INDEX marital_registrations_office ON marital_registrations(office, on_date);

CREATE TABLE marital_current (
    person_id INTEGER PRIMARY KEY REFERENCES persons(id),
    spouse_id INTEGER NOT NULL REFERENCES persons(id),
    registration_id INTEGER NOT NULL REFERENCES marital_registrations(id)
);

CREATE TABLE certificate_counters (
    office TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (office, year)
);
