-- Files on a case (附件: evidence, the applicant's materials), stored by content: a blob is the
-- bytes under their SM3 hash (GB/T 32905-2016, hex), written once however many times the same
-- file is attached; an attachment names a blob on a case, with the name and kind it came with.
-- The upload's event on the case's record carries the same hash, so the record proves which
-- file was on the case. An attachment is never deleted: a wrong one is marked withdrawn.
CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL,
    size BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE attachments (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    hash TEXT NOT NULL REFERENCES blobs(hash),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    label TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES accounts(id),
    uploaded_at_ms BIGINT NOT NULL,
    withdrawn BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX attachments_case ON attachments(case_id);
