/** Embedders: the interface, and the one place an embedder is chosen by name. */
import { createHashEmbedder } from "./hash.js";
import { REMOTE_PROVIDERS } from "./providers.js";
import { createRemoteEmbedder } from "./remote.js";
import { createTransformersEmbedder } from "./transformers.js";
import type { Embedder, EmbedderOptions } from "./types.js";

export { createHashEmbedder } from "./hash.js";
export { MODEL_PRESETS } from "./transformers.js";
export type { Embedder, EmbedderOptions, EmbedKind } from "./types.js";

export const DEFAULT_MODEL = "Xenova/all-MiniLM-L6-v2";

/**
 * "hash" or "hash-<dims>" is the lexical test embedder, never a stand-in for a model; "openai:<model>",
 * "voyage:<model>" and "workers-ai:<model>" are remote APIs (keys from the environment); any other name is a local
 * transformers.js model id.
 */
export async function createEmbedder(name: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const hash = /^hash(?:-(\d+))?$/.exec(name);
  if (hash) return createHashEmbedder(hash[1] ? Number(hash[1]) : 256);
  const remote = REMOTE_PROVIDERS.find((p) => name.startsWith(`${p.prefix}:`));
  if (remote) return createRemoteEmbedder(remote, name.slice(remote.prefix.length + 1), { env: options.env });
  return createTransformersEmbedder(name, options);
}
