-- 行政执法 (行政处罚法 2021; 国办发〔2018〕118号): the officers' register, the 行政处罚 cases,
-- their dated acts (each checked by domain::verticals::enforcement::procedure before it is
-- written, its payload the act as JSON) and the fault-accountability reviews. Stages and
-- deadlines are computed from the acts, none is stored. Each write appends its event on the
-- stream enforcement:<case id> (or enforcement:register) in the same transaction.
CREATE TABLE enforcement_officers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    division TEXT NOT NULL,
    name TEXT NOT NULL,
    certificate_no TEXT NOT NULL UNIQUE,
    area TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    training_hours BIGINT NOT NULL,
    legal_qualification BIGINT NOT NULL,
    suspended BIGINT NOT NULL DEFAULT 0,
    duties TEXT NOT NULL DEFAULT '',
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX enforcement_officers_division ON enforcement_officers(division);

CREATE TABLE enforcement_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    division TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    -- 'organization' (by its 统一社会信用代码) or 'person' (persons(id), SM4 at rest there).
    party_kind TEXT NOT NULL,
    party_name TEXT NOT NULL,
    party_uscc TEXT,
    person_id INTEGER REFERENCES persons(id),
    violation TEXT NOT NULL,
    -- domain::verticals::enforcement::Filing as JSON.
    filing TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    filed_by INTEGER NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX enforcement_cases_division ON enforcement_cases(division, filed_on);

CREATE TABLE enforcement_acts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES enforcement_cases(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    payload TEXT NOT NULL,
    recorded_by INTEGER NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX enforcement_acts_case ON enforcement_acts(case_id, id);
CREATE INDEX enforcement_acts_kind ON enforcement_acts(kind);

-- 过错责任追究: opened when a decision is revoked on 复议 or in court; one per case.
CREATE TABLE enforcement_accountability (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL UNIQUE REFERENCES enforcement_cases(id),
    opened_on TEXT NOT NULL,
    -- The officers of record (register ids) as a JSON array.
    officers TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
