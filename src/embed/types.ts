import type { ProgressSink } from "../domain/progress.js";

export type EmbedKind = "document" | "query";

/** Turns texts into L2-normalized vectors. One instance per model; safe to reuse across calls. */
export interface Embedder {
  readonly model: string;
  readonly dims: number;
  embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]>;
  /** A text's length in the model's tokens, where a batch pads to its longest text (batches group by it). */
  tokenLength?(text: string): number;
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
  /** Where remote models read their keys and base URLs (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Names of model2vec static models start with this ("static:minilm-m2v"). */
export const STATIC_PREFIX = "static:";
