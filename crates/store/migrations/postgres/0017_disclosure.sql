-- 政府信息公开 依申请公开 (政府信息公开条例 第二十七条至第四十五条): a request, its dated steps
-- (the one correction notice and the corrected request, the one extension, third-party
-- consultations), its answer and the remedies taken against it. Every period is computed from
-- these dates (domain::verticals::disclosure::timeline), none is stored. Each write bumps the
-- request's revision and appends its event on the stream disclosure:<id>, in one transaction.
CREATE TABLE disclosure_requests (
    id BIGSERIAL PRIMARY KEY,
    division TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    -- The identity document's number and the telephone, SM4-encrypted (the column name is the
    -- associated data), with masked copies for lists.
    identity_enc TEXT NOT NULL,
    identity_masked TEXT NOT NULL,
    contact_enc TEXT NOT NULL,
    contact_masked TEXT NOT NULL,
    address TEXT NOT NULL,
    description TEXT NOT NULL,
    form TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    signed_on TEXT,
    confirmed_on TEXT,
    received_on TEXT NOT NULL,
    created_by BIGINT,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX disclosure_requests_division ON disclosure_requests(division, received_on);

CREATE TABLE disclosure_steps (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES disclosure_requests(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    until_date TEXT,
    workdays BIGINT,
    note TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX disclosure_steps_request ON disclosure_steps(request_id, id);

-- One answer per request: the primary key refuses a second.
CREATE TABLE disclosure_answers (
    request_id BIGINT PRIMARY KEY REFERENCES disclosure_requests(id),
    kind TEXT NOT NULL,
    withhold_reason TEXT,
    details TEXT NOT NULL,
    answered_on TEXT NOT NULL,
    fee_charged BIGINT NOT NULL,
    answered_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);

CREATE TABLE disclosure_remedies (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES disclosure_requests(id),
    kind TEXT NOT NULL,
    result TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX disclosure_remedies_request ON disclosure_remedies(request_id);
