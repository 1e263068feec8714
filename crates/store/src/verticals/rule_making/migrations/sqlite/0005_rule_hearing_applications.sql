-- 听证报名 online (重大行政决策程序暂行条例第十六条): a 实名认证 citizen applies to take part in
-- the hearing announced for a decision (`hearing_at`: the position of its notice among the
-- decision's acts), once per hearing; the organ decides each application, selected or not, with
-- how (遴选), before it publishes the list of participants. Each decision bumps the row's
-- revision and appends its event in one transaction. The applicant's ID number and phone stay
-- encrypted in their person's record.
CREATE TABLE rule_hearing_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id INTEGER NOT NULL REFERENCES rule_decisions(id),
    hearing_at BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    side TEXT NOT NULL,
    statement TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    applied_at_ms BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'applied',
    reason TEXT NOT NULL DEFAULT '',
    decided_on TEXT,
    decided_by BIGINT,
    revision BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX rule_hearing_applications_person ON rule_hearing_applications(decision_id, hearing_at, person_id);
