-- A citizen's account is bound to the person it belongs to (实名): the record found or registered
-- by the ID number the citizen gave, the one way every path matches a person. One account per
-- person: a second account for the same person is refused by the unique index. Staff accounts
-- stay unbound (NULL, which the index lets repeat).
ALTER TABLE accounts ADD COLUMN person_id INTEGER REFERENCES persons(id);
CREATE UNIQUE INDEX accounts_person ON accounts(person_id);
-- An application is refused while the same person has an open one for the same item: the lookup.
CREATE INDEX cases_applicant_item ON cases(applicant_person_id, item_slug);
