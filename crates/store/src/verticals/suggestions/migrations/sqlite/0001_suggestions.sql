-- 人大代表建议、政协提案办理 (代表法 第五十一条) and 政务开放日: a suggestion as assigned (交办),
-- its dated acts (co-handling opinions, contact with the deputy, the reply drafted, approved and
-- sent to each proposer, the satisfaction forms, a send-back), and the open days with the
-- suggestions received there. Every period is computed from these dates
-- (domain::verticals::suggestions), none is stored. Each write bumps the suggestion's revision
-- and appends its event on the stream suggestion:<id>, in one transaction.
CREATE TABLE suggestion_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    division TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    session TEXT NOT NULL,
    number TEXT NOT NULL,
    -- One name a line (several for a merged suggestion).
    proposers TEXT NOT NULL,
    subject TEXT NOT NULL,
    lead_unit TEXT NOT NULL,
    co_units TEXT NOT NULL,
    difficult BIGINT NOT NULL,
    assigned_on TEXT NOT NULL,
    created_by INTEGER,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX suggestion_items_division ON suggestion_items(division, assigned_on);

CREATE TABLE suggestion_acts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES suggestion_items(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    proposer TEXT NOT NULL,
    unit TEXT NOT NULL,
    result TEXT,
    note TEXT NOT NULL,
    recorded_by INTEGER NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX suggestion_acts_item ON suggestion_acts(item_id, id);

CREATE TABLE suggestion_open_days (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    division TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    theme TEXT NOT NULL,
    invited_deputies TEXT NOT NULL,
    invited_citizens TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX suggestion_open_days_division ON suggestion_open_days(division, held_on);

-- A suggestion received at an open day; item_id once it is registered as a tracked suggestion
-- (at most once: the registration sets it only while it is empty).
CREATE TABLE suggestion_open_day_inputs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    open_day_id INTEGER NOT NULL REFERENCES suggestion_open_days(id),
    from_name TEXT NOT NULL,
    content TEXT NOT NULL,
    item_id INTEGER REFERENCES suggestion_items(id),
    recorded_by INTEGER NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX suggestion_open_day_inputs_day ON suggestion_open_day_inputs(open_day_id, id);
