/**
 * `--batch`: the requests through the provider's batch API (batch-apis.ts: OpenAI Batch, Anthropic Message
 * Batches), half price and asynchronous. One flow for every provider: the batch id and which tracks each request
 * carries are kept in the run log before anything else can fail, so a run that stops waiting (or crashes) is
 * collected by the next one; each result is validated and saved; tracks a result leaves out, answers unreadably
 * or reports as failed are retried alone through the ordinary API.
 */
import { defaultSleep, type JsonReply, sendWithRetry } from "../../domain/http.js";
import { type BatchApi, type BatchCall, batchApiFor } from "./batch-apis.js";
import { answerOf, type ChatClient, requestFailure } from "./client.js";
import { costOf, requestTokens } from "./cost.js";
import { linesOf, sendBatch, type TagSession } from "./session.js";
import type { SentTrack } from "./validate.js";

/** What the run log keeps to read a batch back: per request, its tracks as [key, rowid, input hash]. */
interface BatchRecord {
  requests: Record<string, Array<[string, number, string]>>;
}

const batchApiOf = (client: ChatClient): BatchApi => batchApiFor(client.provider.name);

function callerOf(client: ChatClient, api: BatchApi): BatchCall {
  return async (pathOrUrl, method, body) => {
    const outcome = await sendWithRetry(
      {
        url: /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${client.baseUrl}${pathOrUrl}`,
        method,
        headers: api.headers(client.keys),
        body,
        errorMessage: client.provider.errorMessage,
      },
      client.http,
    );
    if (outcome.kind !== "ok") throw requestFailure(client.provider, client.model, outcome);
    return outcome.reply;
  };
}

/** Creates the batch and records it in the run log before anything else can fail. */
async function submit(session: TagSession, client: ChatClient, batches: SentTrack[][]): Promise<string> {
  const api = batchApiOf(client);
  const record: BatchRecord = { requests: {} };
  const requests = batches.map((batch, i) => {
    const customId = `r${i + 1}`;
    record.requests[customId] = batch.map((s) => [s.key, s.rowid, s.inputHash]);
    const req = client.provider.request(client.model, linesOf(batch), client.keys, client.baseUrl);
    return { customId, body: req.body };
  });
  const batchId = await api.submit(callerOf(client, api), requests);
  session.options.store.updateTagRun(session.runId, { status: "batch-pending", batchId, batch: record });
  return batchId;
}

/** Polls until the batch ends; where its results are, or null when it is still running after maxPolls. */
async function waitFor(session: TagSession, client: ChatClient, batchId: string): Promise<string[] | null> {
  const api = batchApiOf(client);
  const call = callerOf(client, api);
  const sleep = client.http.sleep ?? defaultSleep;
  const polls = session.options.maxPolls ?? 20;
  for (let i = 0; i < polls; i++) {
    const status = await api.poll(call, batchId);
    if (status.state === "ended") return status.results;
    await sleep(session.options.pollMs ?? 30_000);
  }
  return null;
}

function jsonLines(reply: JsonReply): unknown[] {
  return reply.text.split("\n").flatMap((raw) => {
    if (raw.trim() === "") return [];
    try {
      return [JSON.parse(raw) as unknown];
    } catch {
      return [];
    }
  });
}

/** Reads the results: each request's tracks validated and saved, the rest retried alone. */
async function collect(session: TagSession, client: ChatClient, results: string[], record: BatchRecord) {
  const api = batchApiOf(client);
  const call = callerOf(client, api);
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
  for (const location of results) {
    for (const line of jsonLines(await call(location, "GET"))) {
      const { customId, body } = api.resultOf(line);
      if (!Object.hasOwn(record.requests, customId) || answered.has(customId)) continue;
      answered.add(customId);
      const sent = tracksOf(customId);
      const answer = body === null ? null : answerOf(client.provider, body);
      if (answer) session.book(0, answer.usage, requestTokens(linesOf(sent)), true);
      retry.push(...(answer?.reply ? session.accept(sent, answer.reply) : sent));
    }
  }
  for (const customId of Object.keys(record.requests))
    if (!answered.has(customId)) retry.push(...tracksOf(customId));
  for (const s of retry) await sendBatch(session, client, [{ ...s, key: "t1" }], true);
}

/** A batch a previous run left pending for this provider and model: collected now, or its id if still running. */
export async function collectPendingBatch(
  session: TagSession,
  client: ChatClient,
): Promise<{ status: "none" | "collected" } | { status: "pending"; batchId: string }> {
  const { store, provider, model } = session.options;
  const pending = store
    .tagRuns(50)
    .find((r) => r.status === "batch-pending" && r.provider === provider && r.model === model && r.batchId);
  if (!pending?.batchId) return { status: "none" };
  const results = await waitFor(session, client, pending.batchId);
  if (results === null) return { status: "pending", batchId: pending.batchId };
  await collect(session, client, results, pending.batch as BatchRecord);
  store.updateTagRun(pending.id, { status: "done" });
  return { status: "collected" };
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
  const results = await waitFor(session, client, batchId);
  if (results === null) return batchId;
  const record = session.options.store.tagRuns(50).find((r) => r.id === session.runId)?.batch as BatchRecord;
  await collect(session, client, results, record);
  session.options.store.updateTagRun(session.runId, { batchId: null, batch: null });
  return null;
}
