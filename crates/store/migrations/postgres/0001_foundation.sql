-- minzheng foundation schema (PostgreSQL). Never edit an applied migration: add a new file.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE divisions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES divisions(code)
);
CREATE INDEX divisions_parent ON divisions(parent_code);

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled_at_ms BIGINT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

CREATE TABLE grants (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    created_at_ms BIGINT NOT NULL,
    UNIQUE (account_id, role, division_code)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE persons (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_number_hash TEXT NOT NULL UNIQUE,
    id_number_masked TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    phone_enc TEXT,
    phone_hash TEXT,
    phone_masked TEXT,
    address TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    created_by BIGINT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX persons_division ON persons(division_code);
CREATE INDEX persons_phone_hash ON persons(phone_hash);

CREATE TABLE calendar_versions (
    id BIGSERIAL PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    years TEXT NOT NULL,
    csv TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at_ms BIGINT NOT NULL
);

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    stream TEXT NOT NULL,
    stream_seq BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    act TEXT NOT NULL,
    division_code TEXT,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (stream, stream_seq)
);
CREATE INDEX audit_events_division ON audit_events(division_code, seq);

CREATE TABLE audit_streams (
    stream TEXT PRIMARY KEY,
    head_stream_seq BIGINT NOT NULL,
    head_seq BIGINT NOT NULL,
    head_hash TEXT NOT NULL,
    checkpointed_stream_seq BIGINT NOT NULL
);

CREATE TABLE audit_checkpoints (
    no BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    heads TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE SEQUENCE audit_seq;
