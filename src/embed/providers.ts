/**
 * The remote embedding APIs, as documented:
 * - OpenAI: https://platform.openai.com/docs/api-reference/embeddings/create (POST /v1/embeddings; at most 2048
 *   inputs and 300,000 tokens a request; https://platform.openai.com/docs/guides/embeddings for the models' widths).
 * - Voyage AI: https://docs.voyageai.com/reference/embeddings-api (POST /v1/embeddings with input_type "query" or
 *   "document"; at most 1000 inputs a request, and 1M tokens for voyage-3.5-lite, 320K for voyage-3.5: the lower
 *   figure is used) and https://docs.voyageai.com/docs/embeddings for the widths.
 * - Cloudflare Workers AI: https://developers.cloudflare.com/api/resources/ai/methods/run/ (POST
 *   /accounts/{account_id}/ai/run/{model}) and https://developers.cloudflare.com/workers-ai/models/bge-base-en-v1.5/
 *   (input `{ text: string[] }` of at most 100 texts, reply `{ result: { shape, data }, success, errors }`).
 */
import type { RemoteProvider } from "./remote.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function vectorOf(v: unknown, where: string): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new Error(`${where} is not a list of numbers`);
  }
  return v as number[];
}

/** `{ data: [{ index, embedding }] }` (OpenAI and Voyage), checked to hold each input's index exactly once. */
export function parseIndexedData(reply: unknown, count: number): number[][] {
  if (!isRecord(reply) || !Array.isArray(reply.data)) throw new Error("no data list in the reply");
  if (reply.data.length !== count) throw new Error(`${reply.data.length} embeddings for ${count} inputs`);
  const out: Array<number[] | undefined> = new Array(count);
  for (const item of reply.data) {
    const index = isRecord(item) ? item.index : undefined;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count) {
      throw new Error(`an embedding with index ${JSON.stringify(index)} outside 0..${count - 1}`);
    }
    if (out[index]) throw new Error(`two embeddings with index ${index}`);
    out[index] = vectorOf((item as Record<string, unknown>).embedding, `embedding ${index}`);
  }
  return out as number[][];
}

function messageOf(reply: unknown): string | undefined {
  if (!isRecord(reply)) return undefined;
  // OpenAI: { error: { message } }; Voyage: { detail }; Cloudflare: { errors: [{ code, message }] }.
  if (isRecord(reply.error) && typeof reply.error.message === "string") return reply.error.message;
  if (typeof reply.detail === "string") return reply.detail;
  if (Array.isArray(reply.errors)) {
    const msgs = reply.errors.map((e) => (isRecord(e) ? String(e.message ?? "") : "")).filter(Boolean);
    if (msgs.length > 0) return msgs.join("; ");
  }
  return undefined;
}

export const OPENAI: RemoteProvider = {
  prefix: "openai",
  maxBatch: 2048,
  maxBatchTokens: 300_000,
  knownDims: {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
  },
  keyVars: ["OPENAI_API_KEY"],
  baseUrlVar: "SPOTIVEC_OPENAI_BASE_URL",
  defaultBaseUrl: "https://api.openai.com/v1",
  request: (model, texts, _kind, keys, base) => ({
    url: `${base}/embeddings`,
    headers: { authorization: `Bearer ${keys.OPENAI_API_KEY}` },
    body: { model, input: texts, encoding_format: "float" },
  }),
  parse: parseIndexedData,
  errorMessage: messageOf,
};

export const VOYAGE: RemoteProvider = {
  prefix: "voyage",
  maxBatch: 1000,
  maxBatchTokens: 320_000,
  knownDims: {
    "voyage-3.5": 1024,
    "voyage-3.5-lite": 1024,
    "voyage-3-large": 1024,
    "voyage-3": 1024,
    "voyage-3-lite": 512,
  },
  keyVars: ["VOYAGE_API_KEY"],
  baseUrlVar: "SPOTIVEC_VOYAGE_BASE_URL",
  defaultBaseUrl: "https://api.voyageai.com/v1",
  request: (model, texts, kind, keys, base) => ({
    url: `${base}/embeddings`,
    headers: { authorization: `Bearer ${keys.VOYAGE_API_KEY}` },
    body: { model, input: texts, input_type: kind },
  }),
  parse: parseIndexedData,
  errorMessage: messageOf,
};

/** `{ success: true, result: { shape: [n, dims], data: [[...], ...] } }`, in input order. */
export function parseWorkersAi(reply: unknown, count: number): number[][] {
  if (!isRecord(reply) || reply.success === false) throw new Error("the reply does not say success");
  const result = reply.result;
  if (!isRecord(result) || !Array.isArray(result.data)) throw new Error("no result.data list in the reply");
  if (result.data.length !== count) throw new Error(`${result.data.length} embeddings for ${count} inputs`);
  return result.data.map((v, i) => vectorOf(v, `embedding ${i}`));
}

export const WORKERS_AI: RemoteProvider = {
  prefix: "workers-ai",
  maxBatch: 100,
  maxBatchTokens: 100 * 512,
  knownDims: {
    "@cf/baai/bge-small-en-v1.5": 384,
    "@cf/baai/bge-base-en-v1.5": 768,
    "@cf/baai/bge-large-en-v1.5": 1024,
  },
  keyVars: ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN"],
  baseUrlVar: "SPOTIVEC_WORKERS_AI_BASE_URL",
  defaultBaseUrl: "https://api.cloudflare.com/client/v4",
  request: (model, texts, _kind, keys, base) => ({
    url: `${base}/accounts/${encodeURIComponent(keys.CLOUDFLARE_ACCOUNT_ID ?? "")}/ai/run/${model}`,
    headers: { authorization: `Bearer ${keys.CLOUDFLARE_API_TOKEN}` },
    body: { text: texts },
  }),
  parse: parseWorkersAi,
  errorMessage: messageOf,
};

export const REMOTE_PROVIDERS: readonly RemoteProvider[] = [OPENAI, VOYAGE, WORKERS_AI];
