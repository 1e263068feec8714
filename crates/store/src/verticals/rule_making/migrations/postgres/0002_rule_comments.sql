-- 公众参与 online (重大行政决策程序暂行条例第十四条、第十五条、第十八条): a citizen's comment on
-- a decision's draft while its comment period runs, and the organ's answer (adopted, partly,
-- not adopted, or withheld with its reason). Each answer bumps the comment's revision and
-- appends its event in one transaction.
CREATE TABLE rule_comments (
    id BIGSERIAL PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES rule_decisions(id),
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    submitted_at_ms BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received',
    answer TEXT NOT NULL DEFAULT '',
    answered_on TEXT,
    answered_by BIGINT,
    revision BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX rule_comments_decision ON rule_comments(decision_id, id);
