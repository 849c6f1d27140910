import { createHash } from "node:crypto";
import type { Embedder } from "./types.js";
import { normalize } from "./vectors.js";

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
    return normalize(v);
  };
  return {
    model: `hash-${dims}`,
    dims,
    embed: async (texts) => texts.map(embedOne),
    close: async () => {},
  };
}
