-- 12345 tickets (四川省12345政务服务便民热线运行管理办法) and 差评整改 (国办发〔2019〕51号).
-- A ticket's receipt is its row; what is done to it is its acts, numbered per ticket (seq): a
-- second write on the same history meets UNIQUE (ticket_id, seq) and is refused, never doubled.
-- Every period (签收, 办结, 延期, 催办/督办/通报) is computed from these dates on read
-- (domain::verticals::hotline), none is stored.
CREATE TABLE hotline_tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The hotline platform's ticket number: the inbound API is idempotent on it. NULL for a
    -- ticket typed by staff.
    platform_number TEXT UNIQUE,
    kind TEXT NOT NULL,
    caller_name TEXT NOT NULL,
    -- The caller's number SM4-encrypted (the column name is the associated data), its keyed
    -- hash for repeat calls, and the masked copy that is shown.
    phone_enc TEXT NOT NULL,
    phone_hash TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    subject TEXT NOT NULL,
    content TEXT NOT NULL,
    division TEXT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    received_on TEXT NOT NULL,
    created_by BIGINT,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX hotline_tickets_division ON hotline_tickets(division, received_on);
CREATE INDEX hotline_tickets_phone ON hotline_tickets(phone_hash);

CREATE TABLE hotline_acts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES hotline_tickets(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    text TEXT NOT NULL,
    number BIGINT,
    by_label TEXT NOT NULL,
    recorded_at_ms BIGINT NOT NULL,
    UNIQUE (ticket_id, seq)
);

-- A 差评 in case_ratings is a rectification matter by itself (derived, so it exists in the
-- rating's transaction); these are its acts. The rating is never written here.
CREATE TABLE hotline_rectification_acts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES case_ratings(case_id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    text TEXT NOT NULL,
    number BIGINT,
    by_label TEXT NOT NULL,
    recorded_at_ms BIGINT NOT NULL,
    UNIQUE (case_id, seq)
);
