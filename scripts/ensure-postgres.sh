#!/usr/bin/env bash
# Finds PostgreSQL, or installs it from Debian's packages, starts it, and creates the role
# and database that DB_USER / DB_PASSWORD / DB_NAME name (defaults: orchestrator). The role
# may create databases, which the tests use for one throwaway database per test class.
set -euo pipefail

DB_HOST=${DB_HOST:-localhost}
DB_PORT=${DB_PORT:-5432}
DB_NAME=${DB_NAME:-orchestrator}
DB_USER=${DB_USER:-orchestrator}
DB_PASSWORD=${DB_PASSWORD:-orchestrator}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

case "$DB_HOST" in
  localhost|127.0.0.1|::1) ;;
  *) echo "DB_HOST=$DB_HOST is not local: using that server as it is."; exit 0 ;;
esac

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing Debian's package."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p "$DB_PORT"; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    as_root pg_createcluster --port "$DB_PORT" "$version" main >/dev/null
  fi
  echo "Starting PostgreSQL $version on port $DB_PORT."
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$DB_PORT" && break; sleep 0.5; done
fi

psql_admin() { as_postgres psql -p "$DB_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != "1" ]; then
  psql_admin -c "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\""
fi
echo "PostgreSQL ready: $DB_USER@$DB_HOST:$DB_PORT/$DB_NAME"
