#!/usr/bin/env bash
# Runs the whole product on this machine: PostgreSQL (found, or installed from Debian's
# packages and started), the schema migrated, and one process that is both silo and API.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-postgres.sh
export ORCH_API_KEYS=${ORCH_API_KEYS:-demo:demo-key-change-me}
export ORCH_ADMIN_KEY=${ORCH_ADMIN_KEY:-admin-key-change-me}
# A local product delivers to local receivers; production keeps the SSRF guard closed.
export ORCH_ALLOW_PRIVATE_DESTINATIONS=${ORCH_ALLOW_PRIVATE_DESTINATIONS:-true}
export ASPNETCORE_URLS=${ASPNETCORE_URLS:-http://localhost:8080}
echo "Orchestrator on $ASPNETCORE_URLS — API keys from ORCH_API_KEYS (default: tenant 'demo', key 'demo-key-change-me')."
exec dotnet run --project Silo -c Release -- --with-api
