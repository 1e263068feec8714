-- A public comment may also come from a mobile phone verified by a one-time code sent by SMS.
-- The project has no SMS gateway: each SMS is recorded here as sent (`message`, the text as the
-- citizen receives it, code included: the log the demo shows in place of a gateway). The phone
-- is SM4-encrypted, with its keyed hash for look-up and its mask for display; the check reads
-- only the code's keyed hash. A code serves one comment on one draft, within its minutes and a
-- few wrong tries.
CREATE TABLE rule_phone_codes (
    id BIGSERIAL PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES rule_decisions(id),
    phone_enc TEXT NOT NULL,
    phone_hash TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    message TEXT NOT NULL,
    sent_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    tries BIGINT NOT NULL DEFAULT 0,
    used_at_ms BIGINT
);
CREATE INDEX rule_phone_codes_phone ON rule_phone_codes(decision_id, phone_hash, id);
-- The verified phone a comment came from (none for one from a 实名认证 account).
ALTER TABLE rule_comments ADD COLUMN phone_enc TEXT;
ALTER TABLE rule_comments ADD COLUMN phone_masked TEXT;
