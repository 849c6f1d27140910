import { SpotivecError } from "../domain/errors.js";
import { defaultModelDir } from "../domain/paths.js";
import { type Pooling, poolTokens } from "./pooling.js";
import type { Embedder, EmbedderOptions, EmbedKind } from "./types.js";

interface ModelPreset {
  dims: number;
  pooling: Pooling;
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

interface Tensor {
  data: ArrayLike<number | bigint>;
  dims: number[];
}

/** The parts of transformers.js's feature-extraction pipeline used here: its tokenizer and its model. */
interface FeatureExtractor {
  tokenizer: ((
    texts: string[],
    options: { padding: boolean; truncation: boolean },
  ) => Record<string, Tensor>) & {
    encode(text: string): number[];
  };
  model: (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor | undefined>>;
  dispose?: () => Promise<void>;
}

/** The transformers.js feature-extraction pipeline for a model, or MODEL_UNAVAILABLE saying where it looked. */
async function loadExtractor(model: string, options: EmbedderOptions): Promise<FeatureExtractor> {
  const modelDir = options.modelDir ?? defaultModelDir();
  const { env, pipeline } = await import("@huggingface/transformers");
  // Built or previously downloaded files are found under modelDir; downloads are cached there too.
  env.localModelPath = modelDir;
  env.cacheDir = modelDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = !options.offline;
  const progress = options.progress;
  try {
    return (await pipeline("feature-extraction", model, {
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
}

/**
 * Token states of a batch, as the feature-extraction pipeline reads them (padded and truncated as it does), pooled
 * here: the pipeline's own pooling converts every mask value of every dimension from BigInt, about 10% of a
 * MiniLM batch's time.
 */
async function embedBatch(
  extractor: FeatureExtractor,
  texts: string[],
  pooling: Pooling,
): Promise<Float32Array[]> {
  const inputs = extractor.tokenizer(texts, { padding: true, truncation: true });
  const outputs = await extractor.model(inputs);
  const states = outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings;
  const mask = inputs.attention_mask;
  if (!states || !mask) throw new Error("the model returned no token states");
  return poolTokens(states.data as Float32Array, states.dims, mask.data, pooling);
}

/** A sentence-embedding model run in-process by transformers.js (ONNX on the CPU). */
export async function createTransformersEmbedder(model: string, options: EmbedderOptions): Promise<Embedder> {
  const preset = MODEL_PRESETS[model] ?? { dims: 0, pooling: "mean" as const, queryPrefix: "" };
  const extractor = await loadExtractor(model, options);
  let dims = preset.dims;
  const run = async (texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> => {
    if (texts.length === 0) return [];
    const input =
      kind === "query" && preset.queryPrefix ? texts.map((t) => preset.queryPrefix + t) : [...texts];
    const vectors = await embedBatch(extractor, input, preset.pooling);
    dims = vectors[0]?.length ?? dims;
    return vectors;
  };
  // A model without a preset tells its width on a first run.
  if (dims === 0) dims = (await run(["probe"], "document"))[0]?.length ?? 0;

  return {
    model,
    get dims() {
      return dims;
    },
    embed: run,
    // A batch pads to its longest text in tokens. Grouped by characters, 13% of the tokens run were padding; by
    // tokens, 3% (1,000 descriptions, batches of 64).
    tokenLength: (text: string) => extractor.tokenizer.encode(text).length,
    close: async () => {
      await extractor.dispose?.();
    },
  };
}
