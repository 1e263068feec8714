-- Branches (分支机构) and representative offices (代表机构) entered from the organization's page
-- (《社会团体登记管理条例》第十七条): who leads each one and where it is, and when it was entered.
-- Rows written before this migration keep empty particulars.
ALTER TABLE social_org_branches ADD COLUMN principal TEXT NOT NULL DEFAULT '';
ALTER TABLE social_org_branches ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE social_org_branches ADD COLUMN recorded_at_ms BIGINT NOT NULL DEFAULT 0;
