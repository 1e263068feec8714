-- 动态管理: a decision's outcome as its own value — grant, refuse, and for a
-- periodic re-check of a paying household: adjust (增发/减发/维持) or stop (停发, 社会救助暂行办法第十三条)
-- — and the decision a re-check reviews. Existing rows keep what they were: grant or refuse.
ALTER TABLE assistance_decisions ADD COLUMN outcome TEXT NOT NULL DEFAULT 'grant';
UPDATE assistance_decisions SET outcome = 'refuse' WHERE granted = 0;
ALTER TABLE assistance_decisions ADD COLUMN recheck_of INTEGER;
CREATE INDEX assistance_decisions_program ON assistance_decisions(program, outcome);
