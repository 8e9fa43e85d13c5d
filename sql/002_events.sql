-- One row per scheduled event: the event grain's state. Its reminder is due_at;
-- its activation is the claim (claimed_by + lease_expires_at) taken with
-- FOR UPDATE SKIP LOCKED. Range-partitioned by scheduled_at so that whole days
-- can be dropped once retention has passed; a default partition catches anything
-- outside the pre-created days so an insert never fails for want of a partition.
CREATE TABLE IF NOT EXISTS events (
    id               uuid        NOT NULL,
    tenant_id        text        NOT NULL,
    external_job_id  text        NOT NULL,
    source           text        NOT NULL,
    scheduled_at     timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    delivery_type    text        NOT NULL CHECK (delivery_type IN ('HTTP', 'KAFKA')),
    destination      text        NOT NULL,
    payload          json        NOT NULL,
    headers          jsonb,
    max_retries      integer     NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'DEAD_LETTER', 'CANCELLED')),
    idempotency_key  text,
    claimed_by       uuid,
    lease_expires_at timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    PRIMARY KEY (id, scheduled_at)
) PARTITION BY RANGE (scheduled_at);

CREATE TABLE IF NOT EXISTS events_default PARTITION OF events DEFAULT;

-- Reminders: the claim scans due PENDING rows in due order.
CREATE INDEX IF NOT EXISTS events_due_idx ON events (due_at) WHERE status = 'PENDING';
-- Recovery: PROCESSING rows whose lease has run out.
CREATE INDEX IF NOT EXISTS events_lease_idx ON events (lease_expires_at) WHERE status = 'PROCESSING';
-- Lookups by the client's own job id, newest first.
CREATE INDEX IF NOT EXISTS events_external_idx ON events (tenant_id, external_job_id, scheduled_at DESC);
-- The dead-letter list.
CREATE INDEX IF NOT EXISTS events_dead_letter_idx ON events (tenant_id, updated_at DESC, id) WHERE status = 'DEAD_LETTER';

-- Unique (tenant, idempotency key) across every partition. A partitioned table can
-- only enforce uniqueness that includes the partition key, so the key lives here.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    tenant_id       text        NOT NULL,
    idempotency_key text        NOT NULL,
    event_id        uuid        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, idempotency_key)
);

-- Counts by status, refreshed periodically so that no API call runs COUNT(*).
CREATE TABLE IF NOT EXISTS event_statistics (
    tenant_id    text        NOT NULL,
    status       text        NOT NULL,
    event_count  bigint      NOT NULL,
    refreshed_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, status)
);

-- Creates one partition per UTC day for [first_day, first_day + days). Rows that
-- already sit in the default partition for such a day are moved into the new
-- partition in the same transaction, so scheduling far ahead never blocks a day's
-- partition from being created later. Serialised by an advisory lock so that
-- silos starting together do not race.
CREATE OR REPLACE FUNCTION ensure_event_partitions(first_day date, days integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    day     date;
    name    text;
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('ensure_event_partitions'));
    FOR i IN 0 .. days - 1 LOOP
        day  := first_day + i;
        name := 'events_' || to_char(day, 'YYYYMMDD');
        CONTINUE WHEN to_regclass(name) IS NOT NULL;
        IF EXISTS (SELECT 1 FROM events_default
                   WHERE scheduled_at >= day::timestamp AT TIME ZONE 'UTC'
                     AND scheduled_at <  (day + 1)::timestamp AT TIME ZONE 'UTC') THEN
            EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
            EXECUTE format(
                'WITH moved AS (DELETE FROM events_default WHERE scheduled_at >= %L AND scheduled_at < %L RETURNING *)
                 INSERT INTO %I SELECT * FROM moved',
                day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC', name);
            EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                name, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
        ELSE
            EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
                name, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
        END IF;
        created := created + 1;
    END LOOP;
    RETURN created;
END $$;
