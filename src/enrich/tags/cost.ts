/**
 * Request, token and cost estimates before any request, and the cost of the usage an API reports. Tokens are
 * estimated as the remote embedders do (about 3 characters a token, rounded up: an overestimate for English).
 */
import { estimateTokens } from "../../embed/remote.js";
import { type PriceEntry, type ProviderName, priceOf } from "./prices.js";
import { SYSTEM_PROMPT } from "./prompt.js";
import type { Usage } from "./providers.js";

/**
 * Output tokens per track: `{"id":"t12","tags":["dreamy","shoegaze","late night drive"],"similar_artists":
 * ["Slowdive"]}` is about 90 characters, 30 tokens; 40 leaves room for longer answers.
 */
export const OUTPUT_TOKENS_PER_TRACK = 40;
/** The schema, tool or message framing each request carries besides the prompt text. */
export const REQUEST_OVERHEAD_TOKENS = 400;

export interface Estimate {
  tracks: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** USD, or null when the price table lacks the model. */
  costUsd: number | null;
  batch: boolean;
  price: PriceEntry | null;
}

/** The cost of tokens at a price (half price through a batch API where the provider has one). */
export function costOf(usage: Usage, price: PriceEntry | null, batch: boolean): number | null {
  if (!price) return null;
  const factor = batch ? (price.batchFactor ?? 1) : 1;
  return ((usage.inputTokens * price.inputPerM + usage.outputTokens * price.outputPerM) / 1e6) * factor;
}

/** Estimated input and output tokens of one request carrying these track lines. */
export function requestTokens(lines: readonly string[]): Usage {
  return {
    inputTokens:
      REQUEST_OVERHEAD_TOKENS +
      estimateTokens(SYSTEM_PROMPT) +
      lines.reduce((s, l) => s + estimateTokens(l), 0),
    outputTokens: 10 + lines.length * OUTPUT_TOKENS_PER_TRACK,
  };
}

/** The estimate for sending these track lines in batches of batchSize. */
export function estimateRun(
  lines: readonly string[],
  batchSize: number,
  provider: ProviderName,
  model: string,
  batch: boolean,
): Estimate {
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let requests = 0;
  for (let i = 0; i < lines.length; i += batchSize) {
    const r = requestTokens(lines.slice(i, i + batchSize));
    usage.inputTokens += r.inputTokens;
    usage.outputTokens += r.outputTokens;
    requests++;
  }
  const price = priceOf(provider, model);
  return {
    tracks: lines.length,
    requests,
    ...usage,
    costUsd: costOf(usage, price, batch),
    batch,
    price,
  };
}
