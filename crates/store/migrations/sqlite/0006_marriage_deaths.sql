-- Deaths recorded in the marital-status registry: a `marital_registrations` row of kind
-- `death` (person_a the deceased, person_b the spouse left widowed, if any) keeps the source
-- document it was recorded from (死亡医学证明、户口注销证明…). Other kinds leave it NULL.
ALTER TABLE marital_registrations ADD COLUMN source_document TEXT;
