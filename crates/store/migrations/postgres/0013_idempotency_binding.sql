-- An idempotency key is bound to the request that first used it, as the payment APIs bind
-- theirs: the account that sent it and a keyed hash of the request as parsed (its canonical
-- form). The same key from another account is refused (idempotency_key_reused), the same key
-- with another request too (idempotency_key_mismatch); only the same request replays.
-- Submissions: on the case row they made (NULL on rows made before: bound to no request).
ALTER TABLE cases ADD COLUMN idempotency_account BIGINT;
ALTER TABLE cases ADD COLUMN idempotency_fingerprint TEXT;
-- Acts: each key with the case state the act committed, so a retry answers what the first
-- request answered (the same revision) and is never applied twice. Written in the act's
-- transaction.
CREATE TABLE case_act_keys (
    key TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    revision BIGINT NOT NULL,
    state TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
