#!/usr/bin/env bash
# The Kafka client (Confluent.Kafka) loads the system's librdkafka: Debian's librdkafka1.
# Needed by the tests (which run a librdkafka mock Kafka cluster) and by any node with
# KAFKA_BOOTSTRAP_SERVERS set.
set -euo pipefail
if ldconfig -p | grep -q 'librdkafka\.so\.1 '; then
  exit 0
fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "librdkafka is not installed: installing Debian's package."
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librdkafka1 >/dev/null 2>&1 || {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librdkafka1 >/dev/null
}
