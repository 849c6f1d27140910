/** Embedders: the interface, and the one place an embedder is chosen by name. */
import { createHashEmbedder } from "./hash.js";
import { createTransformersEmbedder } from "./transformers.js";
import type { Embedder, EmbedderOptions } from "./types.js";

export { createHashEmbedder } from "./hash.js";
export { MODEL_PRESETS } from "./transformers.js";
export type { Embedder, EmbedderOptions, EmbedKind } from "./types.js";

export const DEFAULT_MODEL = "Xenova/all-MiniLM-L6-v2";

/** "hash" or "hash-<dims>" is the lexical test embedder, never a stand-in for a model; any other name is a model id. */
export async function createEmbedder(name: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const hash = /^hash(?:-(\d+))?$/.exec(name);
  if (hash) return createHashEmbedder(hash[1] ? Number(hash[1]) : 256);
  return createTransformersEmbedder(name, options);
}
