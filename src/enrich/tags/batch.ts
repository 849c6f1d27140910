/**
 * The OpenAI Batch API behind --batch (half price, results within 24 h), as documented at
 * https://platform.openai.com/docs/guides/batch and https://platform.openai.com/docs/api-reference/batch:
 * the requests as a JSONL file (POST /files, purpose "batch"), a batch over it (POST /batches), its status polled
 * (GET /batches/{id}), and its output file read (GET /files/{id}/content). The batch id and which tracks each
 * request carries are kept in the run log, so a run that stops waiting (or crashes) is collected by the next one.
 * Tracks a result leaves out or answers unreadably are retried alone through the ordinary API.
 * Anthropic's Message Batches are not implemented.
 */
import { defaultSleep, type JsonReply, sendWithRetry } from "../../domain/http.js";
import { answerOf, type ChatClient, llmFailed, requestFailure } from "./client.js";
import { costOf, requestTokens } from "./cost.js";
import { linesOf, sendBatch, type TagSession } from "./session.js";
import type { SentTrack } from "./validate.js";

/** What the run log keeps to read a batch back: per request, its tracks as [key, rowid, input hash]. */
interface BatchRecord {
  requests: Record<string, Array<[string, number, string]>>;
}

const FINISHED_BAD = new Set(["failed", "expired", "cancelled", "cancelling"]);

async function call(client: ChatClient, path: string, method: string, body?: unknown): Promise<JsonReply> {
  const auth: Record<string, string> = client.keys.OPENAI_API_KEY
    ? { authorization: `Bearer ${client.keys.OPENAI_API_KEY}` }
    : {};
  const outcome = await sendWithRetry(
    {
      url: `${client.baseUrl}${path}`,
      method,
      headers: auth,
      body,
      errorMessage: client.provider.errorMessage,
    },
    client.http,
  );
  if (outcome.kind !== "ok") throw requestFailure(client.provider, client.model, outcome);
  return outcome.reply;
}

function idOf(reply: JsonReply, what: string): string {
  const id = (reply.json as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string")
    throw llmFailed(`The batch API answered ${what} without an id`, reply.text.slice(0, 200));
  return id;
}

/** Uploads the requests and creates the batch; records it in the run log before anything else can fail. */
async function submit(session: TagSession, client: ChatClient, batches: SentTrack[][]): Promise<string> {
  const record: BatchRecord = { requests: {} };
  const jsonl = batches.map((batch, i) => {
    const customId = `r${i + 1}`;
    record.requests[customId] = batch.map((s) => [s.key, s.rowid, s.inputHash]);
    const req = client.provider.request(client.model, linesOf(batch), client.keys, client.baseUrl);
    return JSON.stringify({
      custom_id: customId,
      method: "POST",
      url: "/v1/chat/completions",
      body: req.body,
    });
  });
  const form = new FormData();
  form.append("purpose", "batch");
  form.append(
    "file",
    new Blob([`${jsonl.join("\n")}\n`], { type: "application/jsonl" }),
    "spotivec-tags.jsonl",
  );
  const fileId = idOf(await call(client, "/files", "POST", form), "the file upload");
  const created = await call(client, "/batches", "POST", {
    input_file_id: fileId,
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
  });
  const batchId = idOf(created, "the batch");
  session.options.store.updateTagRun(session.runId, { status: "batch-pending", batchId, batch: record });
  return batchId;
}

/** Polls until the batch ends; its output file id, or null when it is still running after maxPolls. */
async function waitFor(session: TagSession, client: ChatClient, batchId: string): Promise<string[] | null> {
  const sleep = client.http.sleep ?? defaultSleep;
  const polls = session.options.maxPolls ?? 20;
  for (let i = 0; i < polls; i++) {
    const b = (await call(client, `/batches/${batchId}`, "GET")).json as {
      status?: string;
      output_file_id?: string | null;
      error_file_id?: string | null;
    };
    if (b?.status === "completed") return [b.output_file_id, b.error_file_id].filter((f): f is string => !!f);
    if (b?.status && FINISHED_BAD.has(b.status))
      throw llmFailed(`The batch ${batchId} ended as ${b.status}`, JSON.stringify(b).slice(0, 300));
    await sleep(session.options.pollMs ?? 30_000);
  }
  return null;
}

interface ResultLine {
  custom_id?: string;
  response?: { status_code?: number; body?: unknown } | null;
}

/** Reads the result files: each request's tracks validated and saved, the rest retried alone. */
async function collect(session: TagSession, client: ChatClient, files: string[], record: BatchRecord) {
  const answered = new Set<string>();
  const retry: SentTrack[] = [];
  const tracksOf = (customId: string): SentTrack[] => {
    const rows = record.requests[customId] ?? [];
    const byRowid = new Map(session.options.store.getTracks(rows.map((r) => r[1])).map((t) => [t.rowid, t]));
    return rows.flatMap(([key, rowid, inputHash]) => {
      const track = byRowid.get(rowid);
      return track ? [{ key, rowid, track, inputHash }] : [];
    });
  };
  for (const file of files) {
    const text = (await call(client, `/files/${file}/content`, "GET")).text;
    for (const raw of text.split("\n").filter((l) => l.trim() !== "")) {
      let line: ResultLine;
      try {
        line = JSON.parse(raw) as ResultLine;
      } catch {
        continue;
      }
      const customId = line.custom_id ?? "";
      if (!record.requests[customId] || answered.has(customId)) continue;
      answered.add(customId);
      const sent = tracksOf(customId);
      const ok = line.response?.status_code === 200;
      const answer = ok ? answerOf(client.provider, line.response?.body) : null;
      const estimated = requestTokens(linesOf(sent));
      if (ok) session.book(0, answer?.usage ?? null, estimated, true);
      retry.push(...(answer?.reply ? session.accept(sent, answer.reply) : sent));
    }
  }
  for (const customId of Object.keys(record.requests))
    if (!answered.has(customId)) retry.push(...tracksOf(customId));
  for (const s of retry) await sendBatch(session, client, [{ ...s, key: "t1" }], true);
}

/** A batch a previous run left pending for this provider and model: collected now ("pending" if still running). */
export async function collectPendingBatch(
  session: TagSession,
  client: ChatClient,
): Promise<"none" | "collected" | "pending"> {
  const { store, provider, model } = session.options;
  const pending = store
    .tagRuns(50)
    .find((r) => r.status === "batch-pending" && r.provider === provider && r.model === model && r.batchId);
  if (!pending?.batchId) return "none";
  const files = await waitFor(session, client, pending.batchId);
  if (files === null) return "pending";
  await collect(session, client, files, pending.batch as BatchRecord);
  store.updateTagRun(pending.id, { status: "done" });
  return "collected";
}

/** Submits the batches (as many as the budget allows at batch price) and collects them; the batch id if pending. */
export async function runBatchApi(
  session: TagSession,
  client: ChatClient,
  batches: SentTrack[][],
): Promise<string | null> {
  const within: SentTrack[][] = [];
  let reserved = 0;
  for (const batch of batches) {
    const cost = session.reserve(costOf(requestTokens(linesOf(batch)), session.price, true) ?? 0);
    if (cost === null) break;
    reserved += cost;
    within.push(batch);
  }
  // Spend is booked from each result's reported usage.
  session.release(reserved);
  if (within.length === 0) return null;
  const batchId = await submit(session, client, within);
  const files = await waitFor(session, client, batchId);
  if (files === null) return batchId;
  const record = session.options.store.tagRuns(50).find((r) => r.id === session.runId)?.batch as BatchRecord;
  await collect(session, client, files, record);
  session.options.store.updateTagRun(session.runId, { batchId: null, batch: null });
  return null;
}
