-- 政府信息公开 依申请公开 as cases of the item `government-information-request`: the answer a
-- case's decide act recorded (its type, the withholding reason of 第十四条至第十六条, whether the
-- 第四十二条 fee was charged), written by the act's area effect in the act's transaction (one per
-- case), and the 行政复议 and 行政诉讼 taken against it. The annual report (第四十九条、第五十条)
-- counts them beside the requests of disclosure_requests (shared migration 0017).
CREATE TABLE disclosure_case_answers (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    division TEXT NOT NULL,
    kind TEXT NOT NULL,
    withhold_reason TEXT,
    fee_charged BIGINT NOT NULL,
    answered_on TEXT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX disclosure_case_answers_division ON disclosure_case_answers(division, answered_on);

CREATE TABLE disclosure_case_remedies (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES disclosure_case_answers(case_id),
    kind TEXT NOT NULL,
    result TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX disclosure_case_remedies_case ON disclosure_case_remedies(case_id);
