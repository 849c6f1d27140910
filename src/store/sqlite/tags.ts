import type Database from "better-sqlite3";
import type { TagRunRecord, TagRunUpdate, TagStore, TrackTags } from "../types.js";

interface RunRow {
  id: number;
  provider: string;
  model: string;
  status: TagRunRecord["status"];
  started_at: string;
  finished_at: string | null;
  batch_id: string | null;
  batch_json: string | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  counts_json: string;
}

const RUN_COLUMNS: Record<keyof TagRunUpdate, string> = {
  status: "status",
  batchId: "batch_id",
  batch: "batch_json",
  requests: "requests",
  inputTokens: "input_tokens",
  outputTokens: "output_tokens",
  costUsd: "cost_usd",
  counts: "counts_json",
};

/** LLM tags (m006): the cache, the tags per track, and the run log. */
export class SqliteTags implements TagStore {
  private readonly selectCached: Database.Statement<
    [string, string],
    { input_hash: string; tags_json: string }
  >;
  private readonly putCache: Database.Statement<[string, string, string]>;
  private readonly currentTags: Database.Statement<[number], { model: string; tags_json: string }>;
  /** Asked by every planned search: prepared on the first, kept. */
  private anyTag: Database.Statement<[], unknown> | null = null;
  private readonly putTrackTags: Database.Statement<[number, string, string, string]>;
  private readonly markDirty: Database.Statement<[number]>;
  private readonly saveTx: (model: string, items: readonly TrackTags[]) => number;

  constructor(private readonly db: Database.Database) {
    this.selectCached = db.prepare(
      "SELECT input_hash, tags_json FROM llm_tag_cache WHERE model = ? AND input_hash IN (SELECT value FROM json_each(?))",
    );
    this.putCache = db.prepare(
      "INSERT OR REPLACE INTO llm_tag_cache(input_hash, model, tags_json) VALUES (?, ?, ?)",
    );
    this.currentTags = db.prepare("SELECT model, tags_json FROM track_llm_tags WHERE track_rowid = ?");
    this.putTrackTags = db.prepare(
      "INSERT OR REPLACE INTO track_llm_tags(track_rowid, model, tags_json, input_hash) VALUES (?, ?, ?, ?)",
    );
    // A new description is due; its hash decides whether the vector is rebuilt.
    this.markDirty = db.prepare("UPDATE tracks SET dirty = 1 WHERE rowid = ?");
    this.saveTx = db.transaction((model: string, items: readonly TrackTags[]) => {
      let changed = 0;
      for (const item of items) {
        const json = JSON.stringify(item.tags);
        this.putCache.run(item.inputHash, model, json);
        const current = this.currentTags.get(item.rowid);
        this.putTrackTags.run(item.rowid, model, json, item.inputHash);
        if (current?.tags_json !== json || current.model !== model) {
          this.markDirty.run(item.rowid);
          changed++;
        }
      }
      return changed;
    });
  }

  cachedTags(model: string, inputHashes: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    // Chunks keep each JSON parameter small.
    for (let i = 0; i < inputHashes.length; i += 5000) {
      const chunk = JSON.stringify(inputHashes.slice(i, i + 5000));
      for (const r of this.selectCached.all(model, chunk)) out.set(r.input_hash, JSON.parse(r.tags_json));
    }
    return out;
  }

  saveTags(model: string, items: readonly TrackTags[]): number {
    return this.saveTx(model, items);
  }

  startTagRun(provider: string, model: string): number {
    const r = this.db
      .prepare("INSERT INTO llm_tag_runs(provider, model, status) VALUES (?, ?, 'running')")
      .run(provider, model);
    return Number(r.lastInsertRowid);
  }

  updateTagRun(id: number, update: TagRunUpdate): void {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [key, column] of Object.entries(RUN_COLUMNS) as Array<[keyof TagRunUpdate, string]>) {
      if (!(key in update)) continue;
      const v = update[key];
      sets.push(`${column} = ?`);
      params.push(key === "counts" || key === "batch" ? (v === null ? null : JSON.stringify(v)) : v);
    }
    if (update.status && update.status !== "running" && update.status !== "batch-pending")
      sets.push("finished_at = datetime('now')");
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE llm_tag_runs SET ${sets.join(", ")} WHERE id = ?`).run(...params, id);
  }

  tagRuns(limit: number): TagRunRecord[] {
    const rows = this.db
      .prepare<[number], RunRow>("SELECT * FROM llm_tag_runs ORDER BY id DESC LIMIT ?")
      .all(limit);
    return rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      model: r.model,
      status: r.status,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      batchId: r.batch_id,
      batch: r.batch_json === null ? null : JSON.parse(r.batch_json),
      requests: r.requests,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      costUsd: r.cost_usd,
      counts: JSON.parse(r.counts_json),
    }));
  }

  hasLlmTags(): boolean {
    this.anyTag ??= this.db.prepare("SELECT 1 FROM track_llm_tags LIMIT 1");
    return this.anyTag.get() !== undefined;
  }

  taggedCounts(): Array<{ model: string; tracks: number }> {
    return this.db
      .prepare<[], { model: string; tracks: number }>(
        "SELECT model, count(*) AS tracks FROM track_llm_tags GROUP BY model ORDER BY model",
      )
      .all();
  }
}
