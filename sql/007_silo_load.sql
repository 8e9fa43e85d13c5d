-- Each silo's load travels with its heartbeat, so any silo's dashboard shows every silo's.
ALTER TABLE silos ADD COLUMN IF NOT EXISTS in_flight integer NOT NULL DEFAULT 0;
ALTER TABLE silos ADD COLUMN IF NOT EXISTS fired bigint NOT NULL DEFAULT 0;
