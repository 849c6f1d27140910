#!/usr/bin/env bash
# Runs vibe-bench plain and planned over a query set and writes bench/results/vibe-<set>.md.
#   bench/vibe.sh [QUERIES.jsonl] [NAME]      (needs SPOTIVEC_DB pointing at the real 114K catalog)
set -euo pipefail
cd "$(dirname "$0")/.."
queries="${1:-../shared/bench/queries.dev.jsonl}"
name="${2:-dev}"
bench="../shared/bench/vibebench.py"
[ -f "$bench" ] || { echo "vibe-bench not found at $bench" >&2; exit 1; }
out="bench/results"
mkdir -p "$out"
npm run build --silent
for mode in plain planned; do
  flag=""; [ "$mode" = plain ] && flag="--plain"
  python3 "$bench" --queries "$queries" --out "$out/vibe-$name-$mode.json" \
    --cmd "node bin/spotivec.js search --json --offline $flag --limit 10 --likes {likes} {query}" | tail -1
done
# vibe-bench's ideal counts every id of a song its repeat rule scores once; add nDCG against the ideal it allows.
python3 bench/vibe-ideal.py --bench "$(dirname "$bench")" --queries "$queries" --out "$out/vibe-$name-planned.json" | tail -1
node --import tsx bench/vibe-report.ts "$out/vibe-$name-plain.json" "$out/vibe-$name-planned.json" > "$out/vibe-$name.md"
echo "wrote $out/vibe-$name.md"
