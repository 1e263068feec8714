-- The marital-status registry (婚姻登记信息): one row per registration; the status is folded from
-- them (domain::marriage::registry). `marital_current` holds one row per married person, so two
-- registrations of the same person at once cannot both commit (primary key). Certificate numbers
-- come from one counter per office and year.
CREATE TABLE marital_registrations (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    office TEXT NOT NULL REFERENCES divisions(code),
    on_date TEXT NOT NULL,
    person_a BIGINT NOT NULL REFERENCES persons(id),
    person_b BIGINT REFERENCES persons(id),
    certificate_number TEXT UNIQUE,
    case_id BIGINT REFERENCES cases(id),
    cross_region TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX marital_registrations_a ON marital_registrations(person_a);
CREATE INDEX marital_registrations_b ON marital_registrations(person_b);
CREATE INDEX marital_registrations_office ON marital_registrations(office, on_date);

CREATE TABLE marital_current (
    person_id BIGINT PRIMARY KEY REFERENCES persons(id),
    spouse_id BIGINT NOT NULL REFERENCES persons(id),
    registration_id BIGINT NOT NULL REFERENCES marital_registrations(id)
);

CREATE TABLE certificate_counters (
    office TEXT NOT NULL,
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (office, year)
);
