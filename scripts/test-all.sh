#!/usr/bin/env bash
# The whole test suite, browser tier included where Chromium can be installed (Debian's package, as root), postgres
# tier against a throwaway PostgreSQL + pgvector (scripts/postgres.sh) unless SPOTIVEC_TEST_POSTGRES_URL names one.
#   npm run test:all
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      echo "chromium could not be installed: the browser tests will say so and skip"
  else
    echo "no /usr/bin/chromium (install Debian's chromium package to run the browser tests); they will skip"
  fi
fi
if [ -z "${SPOTIVEC_TEST_POSTGRES_URL:-}" ]; then
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/spotivec-pg.XXXXXX")"
  trap 'bash scripts/postgres.sh stop "$PG_DIR" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"' EXIT
  trap 'exit 130' INT TERM
  if SPOTIVEC_TEST_POSTGRES_URL="$(bash scripts/postgres.sh start "$PG_DIR")"; then
    export SPOTIVEC_TEST_POSTGRES_URL
  else
    unset SPOTIVEC_TEST_POSTGRES_URL
    echo "PostgreSQL could not be started (why: above): the postgres tests will say so and skip"
  fi
fi
# The browser tier serves the built page and worker.
npm run build --silent
npx vitest run "$@"
