-- Regional nodes (docs/designs/nodes.md): the transactional outbox, the inbox that makes an
-- applied message unique, and the dead letters an admin sees. A message id is the sender's,
-- random, 32 hex characters; JetStream dedupes on it (Nats-Msg-Id) and the inbox's primary key
-- makes its apply happen once whatever is redelivered.
CREATE TABLE node_outbox (
    pos BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    to_node TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- The sender's event that the message carries (its record stream and SM3 hash): the
    -- receiver's event names it, so the two records link.
    sender_stream TEXT NOT NULL,
    sender_hash TEXT,
    created_at_ms BIGINT NOT NULL,
    sent_at_ms BIGINT
);
CREATE INDEX node_outbox_unsent ON node_outbox (sent_at_ms, pos);

CREATE TABLE node_inbox (
    id TEXT PRIMARY KEY,
    from_node TEXT NOT NULL,
    kind TEXT NOT NULL,
    sender_hash TEXT,
    received_at_ms BIGINT NOT NULL
);

CREATE TABLE node_dead_letters (
    id TEXT PRIMARY KEY,
    from_node TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    reason TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
