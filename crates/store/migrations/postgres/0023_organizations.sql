-- Organizations as applicants (法人或者其他组织), identified by the 统一社会信用代码 (GB 32100-2015,
-- checked by domain::organization): one record per code. The code is public (printed on the
-- licence, published in the registers) and kept in clear; the contact phone is personal data,
-- SM4-encrypted with a keyed hash and a masked copy, as a person's. Jurisdiction follows the
-- division of the 住所地.
CREATE TABLE organizations (
    id BIGSERIAL PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    representative TEXT NOT NULL,
    phone_enc TEXT,
    phone_hash TEXT,
    phone_masked TEXT,
    address TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    created_by BIGINT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX organizations_division ON organizations(division_code);
