#!/usr/bin/env python3
"""The onnxruntime peer for bench/embed-rate.ts: the same int8 ONNX file, tokenizer.json and texts, run from Python.

Reads texts (JSON lines) from --texts, embeds them --runs times in batches of --batch in the given order with
--threads intra-op threads, mean pooling and L2 norm as spotivec does, and prints one JSON line:
{"descriptions", "batch", "threads", "runs": [per-run descriptions/s], "medianPerSecond", "medianPerCpuSecond"}
(process CPU time, all threads).

Needs onnxruntime, tokenizers and numpy: the venv scripts/provision-model.sh builds has them
(~/.cache/spotivec/model-venv/bin/python).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True, type=Path, help="the Xenova/all-MiniLM-L6-v2 folder")
    ap.add_argument("--texts", required=True, type=Path)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-length", type=int, default=256)
    args = ap.parse_args()

    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    texts = [json.loads(line) for line in args.texts.read_text(encoding="utf-8").splitlines() if line]
    tok = Tokenizer.from_file(str(args.model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=args.max_length)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(
        str(args.model_dir / "onnx" / "model_quantized.onnx"), so, providers=["CPUExecutionProvider"]
    )

    def embed(batch: list[str]):
        encs = tok.encode_batch(batch)
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = sess.run(["last_hidden_state"], feeds)[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    rates, cpu_rates = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), args.batch):
            embed(texts[i : i + args.batch])
        rates.append(len(texts) / (time.perf_counter() - t0))
        cpu_rates.append(len(texts) / (time.process_time() - c0))
    print(
        json.dumps(
            {
                "descriptions": len(texts),
                "batch": args.batch,
                "threads": args.threads,
                "onnxruntime": ort.__version__,
                "runs": [round(r, 1) for r in rates],
                "medianPerSecond": round(statistics.median(rates), 1),
                "medianPerCpuSecond": round(statistics.median(cpu_rates), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
