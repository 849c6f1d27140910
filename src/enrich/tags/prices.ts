/**
 * @data Prices per million tokens (USD) for the models `enrich tags` knows, with where each was read and when.
 * A model missing here still works; its cost is then unknown, which --dry-run says and --budget refuses.
 * Batch APIs (OpenAI Batch, Anthropic Message Batches) bill half the listed price, input and output, as both
 * providers document it; `batchSource` says where. Anthropic's batch guide states the 50% and tabulates it per model
 * (Haiku 4.5: $0.50 / $2.50 per million in a batch); OpenAI's factor is from its batch guide's wording.
 */
export type ProviderName = "openai" | "anthropic" | "workers-ai" | "ollama";

export interface PriceEntry {
  provider: ProviderName;
  model: string;
  inputPerM: number;
  outputPerM: number;
  /** Price factor through the provider's batch API, when it has one, and where that factor was read. */
  batchFactor?: number;
  batchSource?: string;
  source: string;
  /** The date the source was read (YYYY-MM-DD). */
  checked: string;
  /** What could not be verified at the source, if anything. */
  caveat?: string;
}

const OPENAI = "https://platform.openai.com/docs/pricing";
const OPENAI_CAVEAT =
  "OpenAI's own page was not reachable here; figures from secondary copies of it (api-evangelist, 2026-11-05; aipricing.guru, 2026-05-07)";
const ANTHROPIC = "https://platform.claude.com/docs/en/about-claude/pricing";
const OPENAI_BATCH = "https://platform.openai.com/docs/guides/batch";
const ANTHROPIC_BATCH = "https://platform.claude.com/docs/en/build-with-claude/batch-processing";
const WORKERS = "https://developers.cloudflare.com/workers-ai/platform/pricing/";

export const PRICES: readonly PriceEntry[] = [
  {
    provider: "openai",
    model: "gpt-4o-mini",
    inputPerM: 0.15,
    outputPerM: 0.6,
    batchFactor: 0.5,
    batchSource: OPENAI_BATCH,
    source: OPENAI,
    checked: "2026-11-27",
    caveat: OPENAI_CAVEAT,
  },
  {
    provider: "openai",
    model: "gpt-4.1-nano",
    inputPerM: 0.1,
    outputPerM: 0.4,
    batchFactor: 0.5,
    batchSource: OPENAI_BATCH,
    source: OPENAI,
    checked: "2026-11-27",
    caveat: OPENAI_CAVEAT,
  },
  {
    provider: "anthropic",
    model: "claude-haiku-4-5",
    inputPerM: 1,
    outputPerM: 5,
    batchFactor: 0.5,
    batchSource: ANTHROPIC_BATCH,
    source: "https://platform.claude.com/docs/en/models/haiku-4-5/overview",
    checked: "2026-11-27",
  },
  {
    provider: "anthropic",
    model: "claude-haiku-5-5",
    inputPerM: 0.1,
    outputPerM: 0.5,
    batchFactor: 0.5,
    batchSource: ANTHROPIC_BATCH,
    source: "https://platform.claude.com/docs/en/models/haiku-5-5/overview",
    checked: "2026-11-27",
    caveat: `the overview says "from $0.10 / $0.50": the lowest tier; tiers not verified (${ANTHROPIC})`,
  },
  {
    provider: "workers-ai",
    model: "@cf/meta/llama-3.1-8b-instruct-fp8-fast",
    inputPerM: 0.045,
    outputPerM: 0.384,
    source: WORKERS,
    checked: "2026-11-27",
    caveat:
      "billed in Neurons ($0.011 / 1,000) after 10,000 free Neurons a day; the free allowance is not subtracted",
  },
  {
    provider: "workers-ai",
    model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    inputPerM: 0.293,
    outputPerM: 2.253,
    source: WORKERS,
    checked: "2026-11-27",
    caveat:
      "billed in Neurons ($0.011 / 1,000) after 10,000 free Neurons a day; the free allowance is not subtracted",
  },
  {
    provider: "ollama",
    model: "*",
    inputPerM: 0,
    outputPerM: 0,
    source: "local (Ollama, LM Studio, vLLM on your own machine)",
    checked: "2026-11-27",
  },
];

/** The default model per provider. */
export const DEFAULT_MODELS: Readonly<Record<ProviderName, string>> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-haiku-4-5",
  "workers-ai": "@cf/meta/llama-3.1-8b-instruct-fp8-fast",
  ollama: "llama3.1:8b",
};

/** The price of a model, or null when the table lacks it. */
export function priceOf(provider: ProviderName, model: string): PriceEntry | null {
  return (
    PRICES.find((p) => p.provider === provider && (p.model === model || p.model === "*")) ??
    // Dated ids ("claude-haiku-4-5-20251001", "gpt-4o-mini-2024-07-18") cost what their alias costs.
    PRICES.find((p) => p.provider === provider && model.startsWith(`${p.model}-`)) ??
    null
  );
}
