-- Per-tenant herd protection: how many of the tenant's deliveries may be under way to any one
-- destination at once, and how many may start there per second. NULL: only the destination's
-- own limits (ORCH_DESTINATION_*) apply.
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS destination_concurrency integer CHECK (destination_concurrency > 0);
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS destination_rate_per_second integer CHECK (destination_rate_per_second > 0);
