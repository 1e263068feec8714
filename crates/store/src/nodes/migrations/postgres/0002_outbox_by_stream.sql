-- The case page of an accepting node shows where its handed-over matter is: the messages a
-- record stream sent, looked up by the stream.
CREATE INDEX node_outbox_by_stream ON node_outbox (sender_stream, pos);
