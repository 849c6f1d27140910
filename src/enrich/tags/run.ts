/**
 * `enrich tags`: the tracks in scope, minus those whose input the cache already answered for this model, sent in
 * batches of about 25 per request (or through the provider's batch API), each reply validated and saved in its own
 * transaction. A crash loses at most the requests in flight: a rerun finds the rest in the cache. The budget is
 * checked before each request against what was spent (as the API reports it) plus what is in flight.
 */
import { SpotivecError } from "../../domain/errors.js";
import type { StoredTrack } from "../../store/types.js";
import { collectPendingBatch, runBatchApi } from "./batch.js";
import { createChatClient } from "./client.js";
import { type Estimate, estimateRun } from "./cost.js";
import { type PriceEntry, type ProviderName, priceOf } from "./prices.js";
import { inputHash } from "./prompt.js";
import { selectTracks } from "./scope.js";
import { linesOf, sendAll, type TagRunOptions, TagSession, toBatches } from "./session.js";
import { emptyCounts, type TagCounts } from "./validate.js";

export type { TagRunOptions } from "./session.js";

export interface TagRunSummary {
  provider: ProviderName;
  model: string;
  dryRun: boolean;
  /** Tracks in scope; of them, answered by the cache; the rest were to be requested. */
  selected: number;
  cachedTracks: number;
  estimate: Estimate;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Spent by this run, from the usage the API reported (null when the price is unknown). */
  costUsd: number | null;
  stoppedByBudget: boolean;
  /** Tracks whose tags changed: they get a new description (and vector). */
  changed: number;
  counts: TagCounts;
  /** Share of checked subgenre tags that agree with the track's catalog labels; null when none were checked. */
  genreAgreement: number | null;
  runId: number | null;
  status: "dry-run" | "done" | "budget" | "batch-pending";
  batchId: string | null;
  price: { source: string; checked: string; caveat?: string } | null;
}

export const DEFAULT_BATCH_SIZE = 25;

/** Tracks in scope with their input hashes; those the cache answers are saved (unless a dry run) and left out. */
function fromCache(options: TagRunOptions, tracks: readonly StoredTrack[], counts: TagCounts) {
  const items = tracks.map((track) => ({ track, inputHash: inputHash(track) }));
  const cached = options.store.cachedTags(
    options.model,
    items.map((i) => i.inputHash),
  );
  const hits = items.filter((i) => cached.has(i.inputHash));
  let changed = 0;
  if (!options.dryRun && hits.length > 0) {
    changed = options.store.saveTags(
      options.model,
      hits.map((i) => ({
        rowid: i.track.rowid,
        inputHash: i.inputHash,
        tags: cached.get(i.inputHash) ?? [],
      })),
    );
  }
  counts.cached = hits.length;
  counts.tagged = options.dryRun ? 0 : hits.length;
  // Tracks with the same input (the same song on two albums' rows, say) are asked about once.
  const todo: typeof items = [];
  const duplicates = new Map<string, number[]>();
  for (const i of items) {
    if (cached.has(i.inputHash)) continue;
    const seen = duplicates.get(i.inputHash);
    if (seen) seen.push(i.track.rowid);
    else {
      duplicates.set(i.inputHash, []);
      todo.push(i);
    }
  }
  return { todo, duplicates, changed };
}

function checkBudgetUsable(options: TagRunOptions, price: PriceEntry | null): void {
  if (options.budgetUsd === undefined || price) return;
  throw new SpotivecError(
    "USAGE",
    `--budget needs a known price, and ${options.model} is not in the price table`,
    {
      expected: "a model listed in src/enrich/tags/prices.ts",
      got: `${options.provider} ${options.model}`,
      hint: "Leave out --budget, or choose a listed model (see --dry-run for the price used).",
    },
  );
}

function summaryOf(
  options: TagRunOptions,
  session: TagSession | null,
  facts: {
    selected: number;
    cached: number;
    estimate: Estimate;
    counts: TagCounts;
    price: PriceEntry | null;
  },
  status: TagRunSummary["status"],
  batchId: string | null,
): TagRunSummary {
  const c = session?.counts ?? facts.counts;
  const p = facts.price;
  return {
    provider: options.provider,
    model: options.model,
    dryRun: session === null,
    selected: facts.selected,
    cachedTracks: facts.cached,
    estimate: facts.estimate,
    requests: session?.requests ?? 0,
    inputTokens: session?.usage.inputTokens ?? 0,
    outputTokens: session?.usage.outputTokens ?? 0,
    costUsd: session ? (p ? session.spent : null) : 0,
    stoppedByBudget: session?.stoppedByBudget ?? false,
    changed: session?.changed ?? 0,
    counts: c,
    genreAgreement: c.genreChecked > 0 ? c.genreAgreed / c.genreChecked : null,
    runId: session?.runId ?? null,
    status,
    batchId,
    price: p ? { source: p.source, checked: p.checked, ...(p.caveat ? { caveat: p.caveat } : {}) } : null,
  };
}

/** Tags the tracks in scope (see the module comment); with dryRun, only estimates, before any request. */
export async function tagTracks(options: TagRunOptions): Promise<TagRunSummary> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const price = priceOf(options.provider, options.model);
  if (!options.dryRun) checkBudgetUsable(options, price);
  const client = options.dryRun ? null : createChatClient(options.provider, options.model, options);
  const runId = client ? options.store.startTagRun(options.provider, options.model) : 0;
  const session = client ? new TagSession(options, price, 0, runId) : null;
  const finish = (status: Exclude<TagRunSummary["status"], "dry-run">, batchId: string | null = null) => {
    if (session) {
      session.save();
      options.store.updateTagRun(runId, { status });
    }
    return summaryOf(options, session, facts, status, batchId);
  };
  const counts = emptyCounts();
  let facts = {
    selected: 0,
    cached: 0,
    estimate: estimateRun([], batchSize, options.provider, options.model, false),
    counts,
    price,
  };
  try {
    // A batch an earlier run left pending is collected first, so its tracks count as cached below.
    const earlier = client && session && options.batchApi ? await collectPendingBatch(session, client) : null;
    if (earlier?.status === "pending") return finish("batch-pending", earlier.batchId);
    const tracks = selectTracks(options.store, options.scope);
    const cache = fromCache(options, tracks, session?.counts ?? counts);
    const batches = toBatches(cache.todo, batchSize);
    const estimate = estimateRun(
      batches.flatMap(linesOf),
      batchSize,
      options.provider,
      options.model,
      Boolean(options.batchApi),
    );
    facts = { ...facts, selected: tracks.length, cached: tracks.length - cache.todo.length, estimate };
    if (!client || !session) return summaryOf(options, null, facts, "dry-run", null);
    session.changed += cache.changed;
    session.duplicates = cache.duplicates;
    session.total = cache.todo.length;
    if (options.batchApi) {
      const pending = await runBatchApi(session, client, batches);
      if (pending) return finish("batch-pending", pending);
    } else await sendAll(session, client, batches, options.concurrency ?? 4);
    return finish(session.stoppedByBudget ? "budget" : "done");
  } catch (e) {
    if (session) {
      session.save();
      options.store.updateTagRun(runId, { status: "failed" });
    }
    throw e;
  }
}
