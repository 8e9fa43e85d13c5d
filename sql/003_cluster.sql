-- Membership: every silo registers and heartbeats. The maintenance leader declares a silo
-- silent past the timeout DEAD and returns its claimed events to the queue.
CREATE TABLE IF NOT EXISTS silos (
    id                uuid        PRIMARY KEY,
    host              text        NOT NULL,
    started_at        timestamptz NOT NULL,
    last_heartbeat_at timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('ALIVE', 'DEAD', 'STOPPED')),
    ended_at          timestamptz
);

-- Cluster-wide leases: the holder of 'maintenance' is the singleton maintenance grain's
-- activation. epoch grows with every change of holder and fences the holder's work.
CREATE TABLE IF NOT EXISTS cluster_leases (
    name        text        PRIMARY KEY,
    holder      uuid        NOT NULL,
    epoch       bigint      NOT NULL,
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- One row per maintenance duty run. A scheduled run claims its (duty, period) slot first,
-- so a period runs once across the cluster, whoever leads; manual runs have no period.
CREATE TABLE IF NOT EXISTS maintenance_runs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    duty        text        NOT NULL,
    period      bigint,
    silo_id     uuid,
    epoch       bigint,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    affected    bigint,
    summary     text,
    UNIQUE (duty, period)
);
CREATE INDEX IF NOT EXISTS maintenance_runs_recent_idx ON maintenance_runs (duty, started_at DESC);

-- Claims are recovered per silo when it dies.
CREATE INDEX IF NOT EXISTS events_claimed_by_idx ON events (claimed_by) WHERE status = 'PROCESSING';

-- Drops whole daily partitions whose day ended more than `retention` ago and that hold
-- nothing unfinished and nothing finished within the retention window. Returns their names.
CREATE OR REPLACE FUNCTION drop_expired_event_partitions(retention interval)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    partition text;
    day       date;
    busy      boolean;
BEGIN
    FOR partition IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'events'::regclass AND c.relname ~ '^events_[0-9]{8}$'
        ORDER BY c.relname
    LOOP
        day := to_date(substr(partition, 8), 'YYYYMMDD');
        CONTINUE WHEN (day + 1)::timestamp AT TIME ZONE 'UTC' >= now() - retention;
        EXECUTE format(
            'SELECT EXISTS (SELECT 1 FROM %I WHERE status IN (''PENDING'', ''PROCESSING'') OR completed_at >= %L)',
            partition, now() - retention) INTO busy;
        CONTINUE WHEN busy;
        EXECUTE format('DROP TABLE %I', partition);
        RETURN NEXT partition;
    END LOOP;
END $$;

-- Idempotency keys are purged by age.
CREATE INDEX IF NOT EXISTS idempotency_keys_created_idx ON idempotency_keys (created_at);
