#!/usr/bin/env bash
# Prints "N passed, N failed, N skipped" from a TRX test results file.
set -euo pipefail
trx=${1:?usage: test-summary.sh results.trx}
if [ ! -f "$trx" ]; then
  echo "no test results at $trx (did the build fail?)" >&2
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
total=$(count total); executed=$(count executed); passed=$(count passed); failed=$(count failed)
echo "$passed passed, $failed failed, $((total - executed)) skipped"
