-- 重大行政决策和规范性文件: the decisions and their dated procedure acts (重大行政决策程序暂行条例),
-- the register of normative documents with their state acts, and the clean-up campaigns. No
-- state and no deadline is stored: they are derived from the dates on read
-- (domain::verticals::rule_making). Each write bumps the row's revision and appends its event
-- in one transaction.
CREATE TABLE rule_decisions (
    id BIGSERIAL PRIMARY KEY,
    division TEXT NOT NULL,
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    organ TEXT NOT NULL,
    summary TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    opened_by BIGINT,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX rule_decisions_year ON rule_decisions(year, division);

-- One act of a decision's procedures; `detail` is the act as JSON (domain Step).
CREATE TABLE rule_decision_steps (
    id BIGSERIAL PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES rule_decisions(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    detail TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX rule_decision_steps_decision ON rule_decision_steps(decision_id, id);

CREATE TABLE rule_documents (
    id BIGSERIAL PRIMARY KEY,
    division TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    organ TEXT NOT NULL,
    published_on TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    affects_business BIGINT NOT NULL,
    comment_opened_on TEXT,
    comment_until TEXT,
    comment_short_reason TEXT NOT NULL,
    review_submitted_on TEXT NOT NULL,
    review_opinion_on TEXT NOT NULL,
    review_opinion TEXT NOT NULL,
    -- The superior laws it rests on, one a line.
    basis TEXT NOT NULL,
    amends_id BIGINT REFERENCES rule_documents(id),
    filing_number TEXT,
    filed_on TEXT,
    flagged_law TEXT,
    flagged_on TEXT,
    revision BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (organ, number)
);
CREATE INDEX rule_documents_division ON rule_documents(division, published_on);

-- 废止, 宣布失效, 修改: each takes effect on its date.
CREATE TABLE rule_document_acts (
    id BIGSERIAL PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES rule_documents(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    cleanup_id BIGINT,
    recorded_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX rule_document_acts_document ON rule_document_acts(document_id);

CREATE TABLE rule_cleanups (
    id BIGSERIAL PRIMARY KEY,
    division TEXT NOT NULL,
    title TEXT NOT NULL,
    started_on TEXT NOT NULL,
    published_on TEXT,
    revision BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE rule_cleanup_items (
    cleanup_id BIGINT NOT NULL REFERENCES rule_cleanups(id),
    document_id BIGINT NOT NULL REFERENCES rule_documents(id),
    verdict TEXT,
    reason TEXT NOT NULL DEFAULT '',
    decided_on TEXT,
    PRIMARY KEY (cleanup_id, document_id)
);
