-- Social assistance (社会救助, 两项补贴, 儿童福利; docs/designs/assistance.md). Households are kept as
-- dated versions (a change is a new version from a date; the old ones stay); an application links a
-- case to its household and program; a decision is written with the case's decide act, carrying the
-- rule version, inputs, trace, amount and the authority it was made under. Payment rolls are computed
-- from the decisions, never stored.
CREATE TABLE assistance_households (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    division TEXT NOT NULL REFERENCES divisions(code),
    urban INTEGER NOT NULL,
    created_by INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX assistance_households_division ON assistance_households(division);

CREATE TABLE assistance_household_versions (
    household_id INTEGER NOT NULL REFERENCES assistance_households(id),
    valid_from TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (household_id, valid_from)
);

CREATE TABLE assistance_household_members (
    household_id INTEGER NOT NULL REFERENCES assistance_households(id),
    person_id INTEGER NOT NULL REFERENCES persons(id),
    PRIMARY KEY (household_id, person_id)
);
CREATE INDEX assistance_household_members_person ON assistance_household_members(person_id);

CREATE TABLE assistance_applications (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    household_id INTEGER NOT NULL REFERENCES assistance_households(id),
    program TEXT NOT NULL,
    beneficiary INTEGER REFERENCES persons(id),
    facts TEXT NOT NULL,
    relative_flag TEXT,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX assistance_applications_household ON assistance_applications(household_id);

CREATE TABLE assistance_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    household_id INTEGER NOT NULL REFERENCES assistance_households(id),
    program TEXT NOT NULL,
    county TEXT NOT NULL,
    eligible INTEGER NOT NULL,
    granted INTEGER NOT NULL,
    payee INTEGER NOT NULL REFERENCES persons(id),
    covered TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    first_month TEXT,
    last_month TEXT,
    rule_version TEXT NOT NULL,
    inputs TEXT NOT NULL,
    trace TEXT NOT NULL,
    reasons TEXT NOT NULL,
    authority TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX assistance_decisions_county ON assistance_decisions(county, granted);
