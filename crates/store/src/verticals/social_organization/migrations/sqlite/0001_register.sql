-- 社会组织登记 (社会团体登记管理条例; 民办非企业单位登记管理暂行条例): the register. An
-- organization's facts are dated versions (every change a new row, like households); its status
-- and the day it stopped are on the organization. Branches, the annual inspections per campaign
-- year, and the five separations of 脱钩 have their own rows; every state (late, dormant,
-- decoupled) is derived from these dates on read.
CREATE TABLE social_orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code TEXT NOT NULL UNIQUE,
    code_seq BIGINT NOT NULL,
    org_type TEXT NOT NULL,
    level TEXT NOT NULL,
    category TEXT,
    sponsor TEXT,
    authority_division TEXT NOT NULL,
    premises_division TEXT NOT NULL,
    status TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    ended_on TEXT,
    first_activity_on TEXT,
    legal_rep_person INTEGER REFERENCES persons(id),
    case_id INTEGER UNIQUE REFERENCES cases(id),
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX social_orgs_division ON social_orgs(premises_division);

CREATE TABLE social_org_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES social_orgs(id),
    valid_from TEXT NOT NULL,
    change_kind TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    legal_rep_name TEXT NOT NULL,
    funds_fen BIGINT NOT NULL,
    individual_members BIGINT NOT NULL,
    unit_members BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX social_org_versions_org ON social_org_versions(org_id, valid_from);

CREATE TABLE social_org_branches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES social_orgs(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT
);

CREATE TABLE social_org_inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES social_orgs(id),
    year BIGINT NOT NULL,
    to_sponsor_on TEXT,
    to_authority_on TEXT,
    result TEXT,
    recorded_at_ms BIGINT NOT NULL,
    UNIQUE (org_id, year)
);

CREATE TABLE social_org_decouplings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES social_orgs(id),
    former_organ TEXT NOT NULL,
    separation TEXT NOT NULL,
    done_on TEXT NOT NULL,
    evidence TEXT NOT NULL,
    recorded_at_ms BIGINT NOT NULL,
    UNIQUE (org_id, separation)
);
