#!/usr/bin/env bash
# Installs Debian's Chromium for the docs page's browser test when it is missing (CI starts from a clean
# machine and runs as root). Browsers that npm packages download by themselves cannot be fetched here.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium is missing: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
