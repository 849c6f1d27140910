/**
 * Embedders: the interface, and the one place an embedder is chosen by name. Each kind is imported only when it
 * is chosen, so commands that embed nothing (or use the static model) never load transformers.js and onnxruntime.
 */
import { createHashEmbedder } from "./hash.js";
import { type Embedder, type EmbedderOptions, STATIC_PREFIX } from "./types.js";

export { createHashEmbedder } from "./hash.js";
export type { Embedder, EmbedderOptions, EmbedKind } from "./types.js";

/** all-MiniLM-L6-v2 run by transformers.js (int8 ONNX). */
export const MINILM_MODEL = "Xenova/all-MiniLM-L6-v2";
/** The static model distilled from MINILM_MODEL by `npm run model` (model2vec). */
export const STATIC_MODEL = `${STATIC_PREFIX}minilm-m2v`;
/**
 * The model new databases get: MiniLM. The static model met issue 11's rule (planned nDCG@10 within 0.01 of
 * MiniLM's on vibe-bench dev and the paraphrases: 0.982 vs 0.989, 0.985 vs 0.993), but it loses where no benchmark
 * looked: grounding unknown words (its word cosines are lower) and lyrics themes (their thresholds were measured with
 * MiniLM; "songs about money" no longer finds ABBA's "Money, Money, Money"). It stays an option (--model).
 */
export const DEFAULT_MODEL = MINILM_MODEL;

/** The remote providers' name prefixes, known here without loading the remote clients (a test pins them). */
export const REMOTE_PREFIXES = ["openai:", "voyage:", "workers-ai:"];

/**
 * "hash" or "hash-<dims>" is the lexical test embedder, never a stand-in for a model; "static:<name>" is a
 * model2vec static model; "openai:<model>", "voyage:<model>" and "workers-ai:<model>" are remote APIs (keys from the
 * environment); any other name is a local transformers.js model id.
 */
export async function createEmbedder(name: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const hash = /^hash(?:-(\d+))?$/.exec(name);
  if (hash) return createHashEmbedder(hash[1] ? Number(hash[1]) : 256);
  if (name.startsWith(STATIC_PREFIX)) {
    const { createStaticEmbedder } = await import("./static.js");
    return createStaticEmbedder(name, options);
  }
  if (REMOTE_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    const [{ REMOTE_PROVIDERS }, { createRemoteEmbedder }] = await Promise.all([
      import("./providers.js"),
      import("./remote.js"),
    ]);
    const remote = REMOTE_PROVIDERS.find((p) => name.startsWith(`${p.prefix}:`));
    if (remote)
      return createRemoteEmbedder(remote, name.slice(remote.prefix.length + 1), { env: options.env });
  }
  const { createTransformersEmbedder } = await import("./transformers.js");
  return createTransformersEmbedder(name, options);
}
