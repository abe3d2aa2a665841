#!/usr/bin/env bash
# What the tests need from the system, not from npm: Debian's Chromium (Playwright drives it;
# browser downloads are not possible everywhere) and PostgreSQL (the unit tests run the database
# tests again on a throwaway cluster, server/testing/postgres.ts), and CJK fonts, so that the
# Korean, Japanese and Chinese pages the end-to-end tests render and screenshot are drawn in
# real glyphs. Installs what is missing when we are root; otherwise says what to run.
set -euo pipefail
browser="${FLOODGATE_CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$browser" ] || missing+=(chromium)
if [ -n "${FLOODGATE_POSTGRES_BIN:-}" ]; then
  [ -x "$FLOODGATE_POSTGRES_BIN/postgres" ] || missing+=(postgresql)
elif ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then missing+=(fonts-noto-cjk); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} from Debian packages for the tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
for package in "${missing[@]}"; do
  case "$package" in
    chromium)
      echo "Chromium not found at $browser. Install it (Debian/Ubuntu: sudo apt-get install -y chromium)" >&2
      echo "or point FLOODGATE_CHROMIUM at a Chromium/Chrome binary." >&2 ;;
    postgresql)
      echo "PostgreSQL not found. Install it (Debian/Ubuntu: sudo apt-get install -y postgresql)" >&2
      echo "or point FLOODGATE_POSTGRES_BIN at the folder holding initdb and postgres." >&2 ;;
    fonts-noto-cjk)
      echo "CJK fonts not found: Korean, Japanese and Chinese screenshots would show boxes." >&2
      echo "Install them (Debian/Ubuntu: sudo apt-get install -y fonts-noto-cjk); the tests run without." >&2
      continue ;;
  esac
done
# Fonts alone are not worth failing for.
[ "${missing[*]}" = "fonts-noto-cjk" ] && exit 0
exit 1
