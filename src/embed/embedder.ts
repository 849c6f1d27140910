import { createHash } from "node:crypto";
import { SpotivecError } from "../domain/errors.js";
import { defaultModelDir } from "../domain/paths.js";
import type { ProgressSink } from "../domain/progress.js";

export type EmbedKind = "document" | "query";

/** Turns texts into L2-normalized vectors. One instance per model; safe to reuse across calls. */
export interface Embedder {
  readonly model: string;
  readonly dims: number;
  embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface EmbedderOptions {
  modelDir?: string;
  /** Use the full-precision weights instead of the int8-quantized ones (slower, marginally closer to the reference). */
  fullPrecision?: boolean;
  /** Never download; fail if the model is not cached. */
  offline?: boolean;
  threads?: number;
  progress?: ProgressSink;
}

export const DEFAULT_MODEL = "Xenova/all-MiniLM-L6-v2";

interface ModelPreset {
  dims: number;
  pooling: "mean" | "cls";
  /** Retrieval models like bge expect an instruction in front of queries (not documents). */
  queryPrefix: string;
}

export const MODEL_PRESETS: Readonly<Record<string, ModelPreset>> = {
  "Xenova/all-MiniLM-L6-v2": { dims: 384, pooling: "mean", queryPrefix: "" },
  "Xenova/bge-small-en-v1.5": {
    dims: 384,
    pooling: "cls",
    queryPrefix: "Represent this sentence for searching relevant passages: ",
  },
  "Xenova/bge-base-en-v1.5": {
    dims: 768,
    pooling: "cls",
    queryPrefix: "Represent this sentence for searching relevant passages: ",
  },
};

/** The one place an embedder is chosen by name. "hash" is a lexical test embedder, never a stand-in for a model. */
export async function createEmbedder(name: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const hash = /^hash(?:-(\d+))?$/.exec(name);
  if (hash) return createHashEmbedder(hash[1] ? Number(hash[1]) : 256);
  return createTransformersEmbedder(name, options);
}

/**
 * Deterministic feature-hashing embedder: words and word pairs hashed into buckets. It knows no meaning; tests use
 * it to exercise the pipeline without a model.
 */
export function createHashEmbedder(dims = 256): Embedder {
  const embedOne = (text: string): Float32Array => {
    const v = new Float32Array(dims);
    const words = text.toLowerCase().match(/[a-z0-9&#]+/g) ?? [];
    const grams = [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)];
    for (const g of grams) {
      const h = createHash("md5").update(g).digest();
      const bucket = h.readUInt32LE(0) % dims;
      v[bucket] = (v[bucket] ?? 0) + (h[4] !== undefined && h[4] & 1 ? 1 : -1);
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) / norm;
    return v;
  };
  return {
    model: `hash-${dims}`,
    dims,
    embed: async (texts) => texts.map(embedOne),
    close: async () => {},
  };
}

type FeatureExtractor = (
  texts: string[],
  options: { pooling: "mean" | "cls"; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>;

async function createTransformersEmbedder(model: string, options: EmbedderOptions): Promise<Embedder> {
  const preset = MODEL_PRESETS[model] ?? { dims: 0, pooling: "mean" as const, queryPrefix: "" };
  const modelDir = options.modelDir ?? defaultModelDir();
  const transformers = await import("@huggingface/transformers");
  const { env, pipeline } = transformers;
  // Built or previously downloaded files are found under modelDir; downloads are cached there too.
  env.localModelPath = modelDir;
  env.cacheDir = modelDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = !options.offline;

  const progress = options.progress;
  let extractor: FeatureExtractor;
  try {
    extractor = (await pipeline("feature-extraction", model, {
      dtype: options.fullPrecision ? "fp32" : "q8",
      device: "cpu",
      session_options: options.threads ? { intraOpNumThreads: options.threads } : {},
      progress_callback: (p: { status: string; file?: string; loaded?: number; total?: number }) => {
        if (p.status === "progress" && progress) {
          progress({
            phase: "model",
            done: p.loaded ?? 0,
            total: p.total ?? null,
            detail: `loading ${model} ${p.file ?? ""}`,
          });
        }
      },
    })) as unknown as FeatureExtractor;
  } catch (cause) {
    throw new SpotivecError(
      "MODEL_UNAVAILABLE",
      `Could not load the embedding model ${model}`,
      {
        expected: `model files for ${model} under ${modelDir}, or network access to download them`,
        got: cause instanceof Error ? (cause.message.split("\n")[0] ?? String(cause)) : String(cause),
        hint: options.offline
          ? "Run once without --offline to download the model, or build it locally with `npm run model`."
          : "Check the model id and your connection; offline machines can build the default model with `npm run model`.",
      },
      { cause },
    );
  }

  let dims = preset.dims;
  const run = async (texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> => {
    if (texts.length === 0) return [];
    const input =
      kind === "query" && preset.queryPrefix ? texts.map((t) => preset.queryPrefix + t) : [...texts];
    const out = await extractor(input, { pooling: preset.pooling, normalize: true });
    const width = out.dims[out.dims.length - 1] ?? 0;
    dims = width;
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i++) vectors.push(out.data.slice(i * width, (i + 1) * width));
    return vectors;
  };
  if (dims === 0) dims = (await run(["probe"], "document"))[0]?.length ?? 0;

  return {
    model,
    get dims() {
      return dims;
    },
    embed: run,
    close: async () => {
      await (extractor as unknown as { dispose?: () => Promise<void> }).dispose?.();
    },
  };
}
