-- 养老机构备案 (养老机构管理办法, 民政部令第66号): the institutions' register. An institution enters
-- when its filing's 备案回执 is produced (one per filing case), in the act's transaction; every
-- change filed after is a dated version; the post-filing on-site inspections are kept with their
-- findings. Whether an inspection is due or overdue is computed from the dates on read, never
-- stored. The institution's division is its premises' (the competent 民政), which scopes access.
CREATE TABLE elderly_care_institutions (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),
    accepting TEXT NOT NULL,
    division TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    representative TEXT NOT NULL,
    institution_type TEXT NOT NULL,
    beds BIGINT NOT NULL,
    floor_area BIGINT NOT NULL,
    address TEXT NOT NULL,
    service_scope TEXT NOT NULL,
    residents_from TEXT,
    status TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX elderly_care_institutions_division ON elderly_care_institutions(division, filed_on);

-- Every version of an institution: version 1 the filing, then one per change filed, with the day
-- the change took effect and the day it was filed (a late change is derived from the two).
CREATE TABLE elderly_care_versions (
    id BIGSERIAL PRIMARY KEY,
    institution_id BIGINT NOT NULL REFERENCES elderly_care_institutions(id),
    version BIGINT NOT NULL,
    change_field TEXT,
    changed_on TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    name TEXT NOT NULL,
    representative TEXT NOT NULL,
    beds BIGINT NOT NULL,
    floor_area BIGINT NOT NULL,
    address TEXT NOT NULL,
    division TEXT NOT NULL,
    recorded_by BIGINT,
    recorded_at_ms BIGINT NOT NULL,
    UNIQUE (institution_id, version)
);

CREATE TABLE elderly_care_inspections (
    id BIGSERIAL PRIMARY KEY,
    institution_id BIGINT NOT NULL REFERENCES elderly_care_institutions(id),
    done_on TEXT NOT NULL,
    result TEXT NOT NULL,
    findings TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX elderly_care_inspections_institution ON elderly_care_inspections(institution_id, done_on);
