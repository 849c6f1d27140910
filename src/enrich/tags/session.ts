/** A tagging run's state (spend, budget, counts) and the synchronous path: batches sent, validated, saved. */
import type { RetryPolicy } from "../../domain/http.js";
import type { ProgressSink } from "../../domain/progress.js";
import type { CatalogReader, StoredTrack, TagStore } from "../../store/types.js";
import type { ChatClient } from "./client.js";
import { costOf, requestTokens } from "./cost.js";
import type { PriceEntry, ProviderName } from "./prices.js";
import { inputLine, type TagReply } from "./prompt.js";
import type { Usage } from "./providers.js";
import type { TagScope } from "./scope.js";
import { emptyCounts, type SentTrack, validateReply } from "./validate.js";

export interface TagRunOptions {
  store: TagStore & Pick<CatalogReader, "filterOnly" | "countMatching" | "getTracks" | "findArtist">;
  provider: ProviderName;
  model: string;
  baseUrl?: string;
  env: NodeJS.ProcessEnv;
  scope: TagScope;
  /** Tracks per request (default 25). */
  batchSize?: number;
  /** Requests at once (default 4). */
  concurrency?: number;
  budgetUsd?: number;
  dryRun?: boolean;
  /** Through the provider's batch API (OpenAI Batch, Anthropic Message Batches): half price, asynchronous. */
  batchApi?: boolean;
  progress?: ProgressSink;
  http?: RetryPolicy;
  /** Batch API: ms between status polls (default 30 s), and polls before leaving the batch for a rerun. */
  pollMs?: number;
  maxPolls?: number;
}

/** Everything a run accumulates; shared by the synchronous path and the batch API path. */
export class TagSession {
  readonly counts = emptyCounts();
  requests = 0;
  usage: Usage = { inputTokens: 0, outputTokens: 0 };
  spent = 0;
  private inFlight = 0;
  /** What the booked requests were estimated to cost (to scale later estimates by what they really cost). */
  private estimatedSpent = 0;
  stoppedByBudget = false;
  changed = 0;
  done = 0;
  /** Other tracks with the same input as a requested one, by input hash: they get its tags. */
  duplicates = new Map<string, number[]>();

  constructor(
    readonly options: TagRunOptions,
    readonly price: PriceEntry | null,
    public total: number,
    readonly runId: number,
  ) {}

  /**
   * Reserves a request of this estimated cost if it fits the budget, and returns the amount reserved (null when
   * it does not fit). Estimates are scaled by how far reported usage has exceeded them so far.
   */
  reserve(estimated: number): number | null {
    const scaled = estimated * Math.max(1, this.estimatedSpent > 0 ? this.spent / this.estimatedSpent : 1);
    const budget = this.options.budgetUsd;
    if (budget !== undefined && this.spent + this.inFlight + scaled > budget) {
      this.stoppedByBudget = true;
      return null;
    }
    this.inFlight += scaled;
    return scaled;
  }

  release(reserved: number): void {
    this.inFlight -= reserved;
  }

  /** Books a finished request: its reserved estimate released, its reported (else estimated) usage spent. */
  book(reserved: number, usage: Usage | null, estimated: Usage, batch: boolean): void {
    this.inFlight -= reserved;
    const u = usage ?? estimated;
    this.requests++;
    this.usage.inputTokens += u.inputTokens;
    this.usage.outputTokens += u.outputTokens;
    this.spent += costOf(u, this.price, batch) ?? 0;
    this.estimatedSpent += costOf(estimated, this.price, batch) ?? 0;
    this.save();
  }

  /** Validates a reply and saves what passes; returns the sent tracks it left out. */
  accept(sent: readonly SentTrack[], reply: TagReply): SentTrack[] {
    const { accepted, missing } = validateReply(sent, reply, this.options.store.findArtist, this.counts);
    const copies = accepted.flatMap((a) =>
      (this.duplicates.get(a.inputHash) ?? []).map((rowid) => ({ ...a, rowid })),
    );
    this.changed += this.options.store.saveTags(this.options.model, [...accepted, ...copies]);
    this.counts.tagged += accepted.length + copies.length;
    this.advance(accepted.length);
    return missing;
  }

  fail(tracks: number): void {
    this.counts.failed += tracks;
    this.advance(tracks);
  }

  advance(tracks: number): void {
    this.done += tracks;
    this.options.progress?.({ phase: "tag", done: this.done, total: this.total });
  }

  save(): void {
    this.options.store.updateTagRun(this.runId, {
      requests: this.requests,
      inputTokens: this.usage.inputTokens,
      outputTokens: this.usage.outputTokens,
      costUsd: this.price ? this.spent : null,
      counts: { ...this.counts },
    });
  }
}

/** Tracks with their batch-local keys ("t1".."t25"), in batches. */
export function toBatches(
  items: ReadonlyArray<{ track: StoredTrack; inputHash: string }>,
  size: number,
): SentTrack[][] {
  const out: SentTrack[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(
      items.slice(i, i + size).map((it, j) => ({
        key: `t${j + 1}`,
        rowid: it.track.rowid,
        track: it.track,
        inputHash: it.inputHash,
      })),
    );
  }
  return out;
}

export const linesOf = (batch: readonly SentTrack[]) => batch.map((s) => inputLine(s.key, s.track));

/** Sends one batch; tracks it leaves out, or all of them when the reply is unreadable, are retried alone once. */
export async function sendBatch(
  session: TagSession,
  client: ChatClient,
  batch: SentTrack[],
  alone = false,
): Promise<void> {
  const lines = linesOf(batch);
  const estimated = requestTokens(lines);
  const reserved = session.reserve(costOf(estimated, session.price, false) ?? 0);
  if (reserved === null) return;
  let answer: Awaited<ReturnType<ChatClient["send"]>>;
  try {
    answer = await client.send(lines);
  } catch (e) {
    session.release(reserved);
    throw e;
  }
  session.book(reserved, answer.usage, estimated, false);
  const retry = answer.reply ? session.accept(batch, answer.reply) : batch;
  if (retry.length === 0) return;
  if (alone || (batch.length === 1 && !answer.reply)) return session.fail(retry.length);
  for (const s of retry) await sendBatch(session, client, [{ ...s, key: "t1" }], true);
}

/** Runs the batches, `concurrency` at a time, stopping at the first request error (after those in flight). */
export async function sendAll(
  session: TagSession,
  client: ChatClient,
  batches: SentTrack[][],
  concurrency: number,
) {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && !session.stoppedByBudget && next < batches.length) {
      const batch = batches[next++] as SentTrack[];
      try {
        await sendBatch(session, client, batch);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, batches.length)) }, worker));
  if (failure !== null) throw failure;
}
