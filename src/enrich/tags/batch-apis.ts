/**
 * The providers' batch APIs (half price, results within 24 h), each as a small adapter over its documented shapes;
 * the flow they share (run log, polling, collection, retries) is in batch.ts.
 * - OpenAI Batch (https://platform.openai.com/docs/guides/batch, https://platform.openai.com/docs/api-reference/batch):
 *   the requests as a JSONL file (POST /files, purpose "batch"), a batch over it (POST /batches), its status
 *   (GET /batches/{id}: "completed" with output_file_id and error_file_id), its files (GET /files/{id}/content),
 *   one `{ custom_id, response: { status_code, body } }` per line.
 * - Anthropic Message Batches (https://docs.anthropic.com/en/api/creating-message-batches,
 *   .../retrieving-message-batches, .../retrieving-message-batch-results): POST /messages/batches
 *   `{ requests: [{ custom_id, params }] }`, GET /messages/batches/{id} (processing_status "in_progress",
 *   "canceling" or "ended", then results_url), results_url as JSONL, one `{ custom_id, result: { type:
 *   "succeeded", message } | { type: "errored" | "canceled" | "expired" } }` per line.
 */
import { SpotivecError } from "../../domain/errors.js";
import type { JsonReply } from "../../domain/http.js";
import { llmFailed } from "./client.js";
import type { ProviderName } from "./prices.js";

/** One API call: a path under the base URL (or an absolute URL the API gave), with the provider's auth headers. */
export type BatchCall = (pathOrUrl: string, method: string, body?: unknown) => Promise<JsonReply>;

export type BatchStatus = { state: "running" } | { state: "ended"; results: string[] };

export interface BatchApi {
  /** Auth headers for the batch endpoints. */
  headers(keys: Readonly<Record<string, string>>): Record<string, string>;
  /** Creates a batch over these chat request bodies, by custom id; returns its id. */
  submit(call: BatchCall, requests: ReadonlyArray<{ customId: string; body: unknown }>): Promise<string>;
  /** One status check: still running, or ended with where its result lines are; throws when it failed. */
  poll(call: BatchCall, batchId: string): Promise<BatchStatus>;
  /** One result line: its custom id and the chat reply body, or null when that request did not succeed. */
  resultOf(line: unknown): { customId: string; body: unknown | null };
}

export function idOf(reply: JsonReply, what: string): string {
  const id = (reply.json as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string")
    throw llmFailed(`The batch API answered ${what} without an id`, reply.text.slice(0, 200));
  return id;
}

const OPENAI_FAILED = new Set(["failed", "expired", "cancelled", "cancelling"]);

const openaiBatch: BatchApi = {
  headers: (keys): Record<string, string> =>
    keys.OPENAI_API_KEY ? { authorization: `Bearer ${keys.OPENAI_API_KEY}` } : {},
  submit: async (call, requests) => {
    const jsonl = requests.map((r) =>
      JSON.stringify({ custom_id: r.customId, method: "POST", url: "/v1/chat/completions", body: r.body }),
    );
    const form = new FormData();
    form.append("purpose", "batch");
    form.append(
      "file",
      new Blob([`${jsonl.join("\n")}\n`], { type: "application/jsonl" }),
      "spotivec-tags.jsonl",
    );
    const fileId = idOf(await call("/files", "POST", form), "the file upload");
    const created = await call("/batches", "POST", {
      input_file_id: fileId,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
    });
    return idOf(created, "the batch");
  },
  poll: async (call, batchId) => {
    const b = (await call(`/batches/${batchId}`, "GET")).json as {
      status?: string;
      output_file_id?: string | null;
      error_file_id?: string | null;
    };
    if (b?.status === "completed") {
      const files = [b.output_file_id, b.error_file_id].filter((f): f is string => !!f);
      return { state: "ended", results: files.map((f) => `/files/${f}/content`) };
    }
    if (b?.status && OPENAI_FAILED.has(b.status))
      throw llmFailed(`The batch ${batchId} ended as ${b.status}`, JSON.stringify(b).slice(0, 300));
    return { state: "running" };
  },
  resultOf: (line) => {
    const l = line as { custom_id?: unknown; response?: { status_code?: number; body?: unknown } | null };
    const customId = typeof l?.custom_id === "string" ? l.custom_id : "";
    return { customId, body: l?.response?.status_code === 200 ? l.response.body : null };
  },
};

const anthropicBatch: BatchApi = {
  headers: (keys) => ({ "x-api-key": keys.ANTHROPIC_API_KEY ?? "", "anthropic-version": "2023-06-01" }),
  submit: async (call, requests) => {
    const created = await call("/messages/batches", "POST", {
      requests: requests.map((r) => ({ custom_id: r.customId, params: r.body })),
    });
    return idOf(created, "the message batch");
  },
  poll: async (call, batchId) => {
    const b = (await call(`/messages/batches/${batchId}`, "GET")).json as {
      processing_status?: string;
      results_url?: string | null;
    };
    if (b?.processing_status !== "ended") return { state: "running" };
    if (!b.results_url)
      throw llmFailed(
        `The message batch ${batchId} ended without a results_url`,
        JSON.stringify(b).slice(0, 300),
      );
    return { state: "ended", results: [b.results_url] };
  },
  // "errored", "canceled" and "expired" results carry no message: their tracks are retried alone.
  resultOf: (line) => {
    const l = line as { custom_id?: unknown; result?: { type?: string; message?: unknown } | null };
    const customId = typeof l?.custom_id === "string" ? l.custom_id : "";
    return { customId, body: l?.result?.type === "succeeded" ? (l.result.message ?? null) : null };
  },
};

/** The providers with a batch API. */
export const BATCH_APIS: Readonly<Partial<Record<ProviderName, BatchApi>>> = {
  openai: openaiBatch,
  anthropic: anthropicBatch,
};

export const hasBatchApi = (provider: ProviderName): boolean => Object.hasOwn(BATCH_APIS, provider);

/** The provider's batch API, or USAGE naming those that have one. */
export function batchApiFor(provider: ProviderName): BatchApi {
  const api = BATCH_APIS[provider];
  if (api) return api;
  throw new SpotivecError("USAGE", `--provider ${provider} has no batch API`, {
    expected: `--batch with --provider ${Object.keys(BATCH_APIS).join(" or ")}`,
    got: `--provider ${provider}`,
    hint: "Leave out --batch to send the requests one by one.",
  });
}
