-- A 跨省通办 case kept on two nodes (docs/designs/nodes.md): each node's copy names the other's
-- number and its status as last reported, so each case page shows where the other copy stands.
CREATE TABLE node_links (
    case_id BIGINT PRIMARY KEY,
    remote_node TEXT NOT NULL,
    remote_number TEXT NOT NULL,
    remote_status TEXT NOT NULL,
    -- The other copy's revision when it reported: an older report never overwrites a newer one.
    remote_revision BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX node_links_remote ON node_links (remote_node, remote_number);
