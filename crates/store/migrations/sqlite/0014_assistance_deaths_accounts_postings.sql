-- A death stated in a household version (a member's died_on) is also kept on the member row, so
-- that every read of the person (persons, households, rolls, applications) sees it with the
-- registry's deaths (marital_registrations kind 'death', recorded from a source document).
ALTER TABLE assistance_household_members ADD COLUMN died_on TEXT;

-- The account a payee is paid into (发放花名册 to the paying bank): a bank card or a 社会保障卡
-- number, SM4-encrypted like ID numbers (the column name is the associated data), with a masked
-- copy for rolls read without full access. One current account per person; entered with an
-- assistance application (case_id: the application it came with).
CREATE TABLE assistance_payee_accounts (
    person_id INTEGER PRIMARY KEY REFERENCES persons(id),
    kind TEXT NOT NULL,
    bank TEXT NOT NULL,
    number_enc TEXT NOT NULL,
    number_masked TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    updated_at_ms INTEGER NOT NULL
);

-- Where and when a 公示 notice was posted (社会救助暂行办法第十一条第二项: 在申请人所在村（社区）
-- 公示): recorded by the township while the case is at its 公示 step, with the case's event.
CREATE TABLE assistance_publicity_postings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    place TEXT NOT NULL,
    posted_at_ms INTEGER NOT NULL,
    recorded_by INTEGER NOT NULL,
    recorded_at_ms INTEGER NOT NULL
);
CREATE INDEX assistance_publicity_postings_case ON assistance_publicity_postings(case_id);
