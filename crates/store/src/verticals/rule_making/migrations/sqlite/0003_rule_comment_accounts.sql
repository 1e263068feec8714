-- A public comment comes from a signed-in citizen account bound to its person (实名认证): the
-- account and the person are kept with the comment (the person's ID number and phone stay
-- encrypted in their own record); comments received before this have neither.
ALTER TABLE rule_comments ADD COLUMN account_id BIGINT;
ALTER TABLE rule_comments ADD COLUMN person_id BIGINT;
