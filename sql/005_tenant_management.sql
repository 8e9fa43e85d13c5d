-- Keys get an id so admins can name one to revoke or rotate without ever seeing it again.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS id uuid;
UPDATE api_keys SET id = gen_random_uuid() WHERE id IS NULL;
ALTER TABLE api_keys ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_id_idx ON api_keys (id);

-- Per-tenant rate limit; NULL means the ORCH_TENANT_RATE_LIMIT_* defaults.
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS rate_limit_per_second integer CHECK (rate_limit_per_second > 0);
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS rate_limit_burst integer CHECK (rate_limit_burst > 0);

-- Standard Webhooks signing secrets ("whsec_" + base64). Every active secret signs each
-- delivery, so a tenant rotates by adding a new one, moving receivers over, then revoking the old.
CREATE TABLE IF NOT EXISTS webhook_secrets (
    id         uuid        PRIMARY KEY,
    tenant_id  text        NOT NULL REFERENCES tenants (id),
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS webhook_secrets_tenant_idx ON webhook_secrets (tenant_id) WHERE revoked_at IS NULL;
