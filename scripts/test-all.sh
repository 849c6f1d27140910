#!/usr/bin/env bash
# The whole test suite, browser tier included where Chromium can be installed (Debian's package, as root).
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
# The browser tier serves the built page and worker.
npm run build --silent
npx vitest run
