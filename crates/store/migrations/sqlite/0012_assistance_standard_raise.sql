-- 提标: when a new rule version raises the standard, the county adjusts every paying decision from
-- the month of the raise (社会救助暂行办法第十三条: 增发), confirming one household at a time. Each
-- confirmed adjustment is a row here (the new monthly amount from its first month), read by the
-- payment roll next to the decisions; the decision it adjusts is kept as it was.
CREATE TABLE assistance_raise_adjustments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_version TEXT NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES assistance_decisions(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    household_id INTEGER NOT NULL,
    program TEXT NOT NULL,
    county TEXT NOT NULL,
    payee INTEGER NOT NULL,
    covered TEXT NOT NULL,
    before_fen INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL,
    first_month TEXT NOT NULL,
    last_month TEXT,
    trace TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_on TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    UNIQUE (rule_version, decision_id)
);
CREATE INDEX assistance_raise_adjustments_county ON assistance_raise_adjustments(county);
