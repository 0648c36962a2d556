#!/usr/bin/env bash
# Installs the tools the test suite starts itself, when missing (idempotent; CI runs it after npm ci, before npm test):
#   redis-server  the idempotency tests' store (Debian's redis-server 7; there is no Valkey package on Debian 12);
#   toxiproxy     the reliability suite's fault proxy, built from the Go module proxy into .cache/ (needs Go 1.22+;
#                 the suite would build it on first use too, this only moves the 20-40 s out of the test's timeout).
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "redis-server is missing and this user cannot install it: apt-get install redis-server" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # The package's service is not wanted: tests start their own server on a free loopback port.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
redis-server --version
cd "$(dirname "$0")/.."
npx tsx -e "import('./test/reliability/support/toxiproxy.ts').then(async (t) => console.log('toxiproxy', t.TOXIPROXY_VERSION, await t.ensureToxiproxy(console.log)))"
