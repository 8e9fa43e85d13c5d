#!/usr/bin/env bash
# Runs every test against a real PostgreSQL (found, or installed from Debian's packages and
# started), a real HTTP receiver on loopback and real silo processes; ends with the line
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
scripts/ensure-postgres.sh || exit 1
scripts/ensure-librdkafka.sh || exit 1
scripts/ensure-chromium.sh || exit 1
# The Standard Webhooks reference implementation the signing tests verify against.
npm ci --prefix Tests/webhook-verifier --silent --no-audit --no-fund || exit 1
results=artifacts/test-results
rm -rf "$results"
dotnet test Orchestrator.sln -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results"
status=$?
scripts/test-summary.sh "$results/tests.trx"
exit $status
