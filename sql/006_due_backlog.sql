-- What falls due soon, counted with the statistics snapshot (never per dashboard refresh).
CREATE TABLE IF NOT EXISTS event_backlog (
    singleton      boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    overdue        bigint      NOT NULL,
    next_minute    bigint      NOT NULL,
    next_5_minutes bigint      NOT NULL,
    next_hour      bigint      NOT NULL,
    refreshed_at   timestamptz NOT NULL
);
