#!/usr/bin/env bash
# Peak memory (VmHWM, the process's high-water RSS: main thread and its search workers) of `spotivec serve` on a
# database, after the benchmark's 30 query texts searched through the HTTP API, half with filters.
#
#   bash bench/serve-memory.sh DB [PORT]
set -euo pipefail
db=${1:?usage: bash bench/serve-memory.sh DB [PORT]}
port=${2:-8799}
node bin/spotivec.js serve --db "$db" --port "$port" > /tmp/serve-memory.$$.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q "serving" /tmp/serve-memory.$$.log && break
  sleep 1
done
started=$(date +%s.%N)
i=0
node --import tsx -e 'import("./bench/search-queries.ts").then(m => console.log(m.QUERY_TEXTS.join("\n")))' |
  while IFS= read -r q; do
    i=$((i + 1))
    extra=""
    if [ $((i % 2)) -eq 1 ]; then extra="&energy_min=0.6"; fi
    curl -sf -m 120 --get "http://127.0.0.1:$port/api/search" --data-urlencode "q=$q" --data "limit=10$extra" > /dev/null
  done
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "{\"db\": \"$db\", \"searches\": 30, \"seconds\": $elapsed, \"peakRssMiB\": $((hwm / 1024)), \"rssMiB\": $((rss / 1024))}"
