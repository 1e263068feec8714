-- 法治政府建设台账: the registers only the annual report reads (领导小组, 学法, 培训, 执法资格考试,
-- 普法, 民主法治示范村, 法律顾问和公职律师, 村务公开监督). One table for the eight registers: each
-- record's values are the canonical strings checked by domain::verticals::rule_of_law::parse, as a
-- JSON object by field key; its division and dates are copied out for scoping and years. Each
-- write appends its event on the stream rule_of_law:registers in the same transaction.
CREATE TABLE rule_of_law_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    register TEXT NOT NULL,
    division TEXT NOT NULL,
    day TEXT NOT NULL,
    until TEXT,
    fields TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX rule_of_law_records_register ON rule_of_law_records(register, division, day);
