-- Messages from the ingestion topic that could not become events (unparseable or invalid).
-- They also go to the dead-letter topic with their original bytes; this table is what the
-- API and the dashboard list.
CREATE TABLE IF NOT EXISTS ingestion_failures (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    message_key     text,
    reason          text        NOT NULL,
    message_bytes   integer     NOT NULL,
    message_excerpt text        NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (topic, kafka_partition, kafka_offset)
);
CREATE INDEX IF NOT EXISTS ingestion_failures_recent_idx ON ingestion_failures (recorded_at DESC);
