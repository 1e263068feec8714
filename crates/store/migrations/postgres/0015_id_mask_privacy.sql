-- One masking rule for an ID number everywhere a reader without the full record looks: the
-- first 4 characters and 14 asterisks (domain::idcard::mask_id_text). The earlier copy kept the
-- last 4 as well, which beside the birth date and the division gave the whole number back.
-- The last 4 stay in their own column, never shown: the applicant's check on the public progress
-- page (service::portal). Both expressions read the row as it was.
ALTER TABLE persons ADD COLUMN id_number_tail TEXT;
UPDATE persons SET id_number_tail = substr(id_number_masked, 15, 4),
    id_number_masked = substr(id_number_masked, 1, 4) || '**************';
