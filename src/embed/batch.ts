import type { Embedder, EmbedKind } from "./types.js";

export interface BatchOptions {
  batchSize: number;
  /**
   * Batches handed to the model at once (default 2): while one runs in onnxruntime's threads, the next is
   * tokenized on the main thread. 1 runs them one after another.
   */
  inFlight?: number;
  /** Called after each batch with how many distinct texts are done. */
  onBatch?: (done: number, distinct: number) => void;
}

/**
 * Embeds texts in batches: identical texts once, texts of similar length together (a batch is padded to its
 * longest text, so mixing lengths wastes compute; lengths in the model's tokens where it tells them, else in
 * characters), up to `inFlight` batches at a time. Vectors come back in input order; identical texts share one
 * vector.
 */
export async function embedInBatches(
  embedder: Embedder,
  texts: readonly string[],
  kind: EmbedKind,
  options: BatchOptions,
): Promise<Float32Array[]> {
  const slotOf = new Map<string, number>();
  const distinct: string[] = [];
  for (const text of texts) {
    if (!slotOf.has(text)) {
      slotOf.set(text, distinct.length);
      distinct.push(text);
    }
  }
  const lengths = distinct.map((text) => embedder.tokenLength?.(text) ?? text.length);
  const order = distinct.map((_, i) => i).sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += options.batchSize)
    batches.push(order.slice(i, i + options.batchSize));

  const vectors: Float32Array[] = new Array(distinct.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] as number[];
      const out = await embedder.embed(
        batch.map((i) => distinct[i] as string),
        kind,
      );
      batch.forEach((slot, j) => {
        const vector = out[j];
        if (!vector) throw new Error(`the model returned ${out.length} vectors for ${batch.length} texts`);
        vectors[slot] = vector;
      });
      done += batch.length;
      options.onBatch?.(done, distinct.length);
    }
  };
  const lanes = Math.max(1, Math.min(options.inFlight ?? 2, batches.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  return texts.map((t) => vectors[slotOf.get(t) as number] as Float32Array);
}
