-- Social assistance (社会救助, 两项补贴, 儿童福利; docs/designs/assistance.md). Households are kept as
-- dated versions (a change is a new version from a date; the old ones stay); an application links a
-- case to its household and program; a decision is written with the case's decide act, carrying the
-- rule version, inputs, trace, amount and the authority it was made under. Payment rolls are computed
-- from the decisions, never stored.
CREATE TABLE assistance_households (
    id BIGSERIAL PRIMARY KEY,
    division TEXT NOT NULL REFERENCES divisions(code),
    urban BIGINT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX assistance_households_division ON assistance_households(division);

CREATE TABLE assistance_household_versions (
    household_id BIGINT NOT NULL REFERENCES assistance_households(id),
    valid_from TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (household_id, valid_from)
);

CREATE TABLE assistance_household_members (
    household_id BIGINT NOT NULL REFERENCES assistance_households(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (household_id, person_id)
);
CREATE INDEX assistance_household_members_person ON assistance_household_members(person_id);

CREATE TABLE assistance_applications (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    household_id BIGINT NOT NULL REFERENCES assistance_households(id),
    program TEXT NOT NULL,
    beneficiary BIGINT REFERENCES persons(id),
    facts TEXT NOT NULL,
    relative_flag TEXT,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX assistance_applications_household ON assistance_applications(household_id);

CREATE TABLE assistance_decisions (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),
    household_id BIGINT NOT NULL REFERENCES assistance_households(id),
    program TEXT NOT NULL,
    county TEXT NOT NULL,
    eligible BIGINT NOT NULL,
    granted BIGINT NOT NULL,
    payee BIGINT NOT NULL REFERENCES persons(id),
    covered TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    first_month TEXT,
    last_month TEXT,
    rule_version TEXT NOT NULL,
    inputs TEXT NOT NULL,
    trace TEXT NOT NULL,
    reasons TEXT NOT NULL,
    authority TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX assistance_decisions_county ON assistance_decisions(county, granted);
