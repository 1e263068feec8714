-- 双随机、一公开 (《社会组织抽查暂行办法》, 民发〔2017〕45号): the declared conflicts of interest
-- (an inspector who must not inspect an organization, 行政处罚法 第四十三条), the draws (the seed
-- and the canonical input as JSON, so that anyone can re-run the draw) and the drawn lines (an
-- organization, its two inspectors, the inspection's result once published). Each write appends
-- its event on the stream enforcement:draws in the same transaction.
CREATE TABLE enforcement_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    officer_id BIGINT NOT NULL REFERENCES enforcement_officers(id),
    credit_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    declared_on TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (officer_id, credit_code)
);

CREATE TABLE enforcement_draws (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    division TEXT NOT NULL,
    kind TEXT NOT NULL,
    drawn_on TEXT NOT NULL,
    seed TEXT NOT NULL,
    -- domain::verticals::enforcement::draw::DrawInput as JSON (canonical order).
    input TEXT NOT NULL,
    input_sm3 TEXT NOT NULL,
    drawn_by BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX enforcement_draws_division ON enforcement_draws(division, drawn_on);

CREATE TABLE enforcement_draw_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draw_id INTEGER NOT NULL REFERENCES enforcement_draws(id),
    position BIGINT NOT NULL,
    credit_code TEXT NOT NULL,
    name TEXT NOT NULL,
    officer_a BIGINT NOT NULL,
    officer_b BIGINT NOT NULL,
    checked_on TEXT,
    finding TEXT,
    note TEXT,
    published_on TEXT,
    UNIQUE (draw_id, position)
);
