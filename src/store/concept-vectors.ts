/**
 * Vectors of fixed phrases (grounding concepts, lyrics theme lines) through the store's concept cache: each phrase
 * is embedded once per model, then read back.
 */
import type { Embedder } from "../embed/embedder.js";
import type { ConceptCache } from "./types.js";

/**
 * Phrases embedded per call when filling the cache, in the order given. Not embedInBatches's token-length groups:
 * the int8 model's vectors of short phrases move with the batch they share (cosine down to 0.96 across the 267
 * grounding concepts), and the grounding threshold was measured on vectors made this way.
 */
const BATCH = 64;

/**
 * The cached vectors of this model, with every phrase of `texts` among them: the missing ones are embedded and
 * saved (a read-only database, or no cache at all, still answers; it only embeds them again next time).
 */
export async function cachedPhraseVectors(
  cache: ConceptCache | null,
  embedder: Embedder,
  texts: readonly string[],
): Promise<Map<string, Float32Array>> {
  const known = cache?.conceptVectors(embedder.model) ?? new Map<string, Float32Array>();
  const missing = [...new Set(texts)].filter((t) => !known.has(t));
  if (missing.length === 0) return known;
  const fresh = new Map<string, Float32Array>();
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const vectors = await embedder.embed(batch, "document");
    for (const [j, t] of batch.entries()) fresh.set(t, vectors[j] as Float32Array);
  }
  for (const [t, v] of fresh) known.set(t, v);
  try {
    cache?.saveConceptVectors(embedder.model, fresh);
  } catch {
    // Read-only: nothing is lost but the saving.
  }
  return known;
}
