#!/usr/bin/env bash
# Playwright drives Debian's Chromium (browser downloads are not possible everywhere).
# Installs it when missing and we are root; otherwise says what to run.
set -euo pipefail
browser="${FLOODGATE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium from Debian packages for the end-to-end tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium not found at $browser. Install it (Debian/Ubuntu: sudo apt-get install -y chromium)" >&2
echo "or point FLOODGATE_CHROMIUM at a Chromium/Chrome binary." >&2
exit 1
