-- Tenants and their API keys. Keys are stored only as SHA-256 hashes: an API key
-- is a long random secret, so a fast hash is enough and lookups stay cheap.
CREATE TABLE IF NOT EXISTS tenants (
    id         text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_keys (
    key_hash   bytea       PRIMARY KEY,
    tenant_id  text        NOT NULL REFERENCES tenants (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE INDEX IF NOT EXISTS api_keys_tenant_idx ON api_keys (tenant_id);
