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
