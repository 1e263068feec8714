-- The annual report on building a law-based government (法治政府建设年度报告): the staff-written
-- narrative of an organ's year, one row per saved version (never updated but to publish it).
-- The figures are not stored while a version is a draft: the text holds {{indicator}} references
-- computed on every read. Publishing freezes the version: the figures as they were (JSON), the
-- SM2 signature over text and figures, and the public key that verifies it.
CREATE TABLE annual_report_versions (
    id BIGSERIAL PRIMARY KEY,
    organ TEXT NOT NULL,
    year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    saved_by BIGINT NOT NULL,
    saved_at_ms BIGINT NOT NULL,
    published_at_ms BIGINT,
    figures TEXT,
    signed TEXT,
    signature TEXT,
    public_key TEXT,
    UNIQUE (organ, year, version)
);
