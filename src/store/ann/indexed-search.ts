/**
 * Vector search that does not scan every vector, with the filters' exact semantics:
 * - no filter: the HNSW index's candidates (twice as many as asked, at least 40: the index compares float16
 *   vectors), rescored with the stored float32 vectors;
 * - a filter: the same, over-fetching and checking the candidates against the filter in SQL, asking again with a
 *   larger k while too few pass. When the pass rate near the query says the index would have to return more than
 *   `fetchMax` candidates, the filter is selective: SQL lists the tracks it admits (up to `scanMax`) and their
 *   stored vectors are scored exactly. (Counting a filter's tracks in SQL first costs more than the whole indexed
 *   search for a pair of ranges: each range is an index, the second is checked on table rows.)
 * - without a fresh index (none built, catalog too small, or built from another generation of the vectors) the
 *   exact scan of the vec0 table (the code path before the index) answers, and `state()` says why.
 * The index is derived data: the database's vector generation decides whether it may be used, before every search.
 */
import { statSync } from "node:fs";
import type Database from "better-sqlite3";
import { FIELDS } from "../../domain/fields.js";
import type { ProgressSink } from "../../domain/progress.js";
import { filterSql, GENRE_ROWIDS_SQL, whereClause } from "../sqlite/filters.js";
import { StatementCache } from "../sqlite/statements.js";
import type { SqliteVectorIndex } from "../sqlite/vector-index.js";
import type { TrackFilters, VectorIndexState } from "../types.js";
import { HnswIndex, headerPath, readHeader, staleReason, type VectorSnapshot } from "./hnsw-file.js";

export interface IndexedSearchOptions {
  /** False answers every search by the exact scan (for comparisons; SPOTIVEC_VECTOR_SEARCH=exact). */
  useIndex: boolean;
  /** Catalogs with fewer vectors keep the exact scan (it is fast there, and an index would be one more file). */
  minVectors: number;
  /** The most candidates a filtered search asks of the index before it scans the filter's tracks instead. */
  fetchMax: number;
  /** The most tracks such a scan reads; a filter admitting more keeps asking the index. */
  scanMax: number;
}

/** Figures behind these in the README ("Vector search"). */
export const DEFAULT_INDEXED_SEARCH: IndexedSearchOptions = {
  useIndex: true,
  minVectors: 20_000,
  fetchMax: 8192,
  scanMax: 50_000,
};

type Hit = { rowid: number; distance: number };

/** What one more index candidate costs, in tracks of an exact scan (bench/search.ts profile at 114K). */
const CANDIDATE_COST_IN_SCANNED = 3;

const BUILD_BATCH = 8192;

/** Range fields with an index of their own on the tracks table (FEATURE_INDEXES_SQL, popularity, year). */
const INDEXED_FIELDS = new Set<string>([
  ...FIELDS.filter((f) => "indexed" in f && f.indexed).map((f) => f.name),
  "popularity",
  "year",
]);

/** The index file of a database: `<db>.hnsw`, none for `:memory:`. */
export function indexPathFor(dbPath: string): string | null {
  return dbPath === ":memory:" ? null : `${dbPath}.hnsw`;
}

export function hasFilters(f: TrackFilters): boolean {
  const ranges = Object.values(f.ranges ?? {}).some((r) => r && (r.min !== undefined || r.max !== undefined));
  return (
    ranges ||
    f.genres !== undefined ||
    f.artists !== undefined ||
    f.rowids !== undefined ||
    f.explicit !== undefined
  );
}

export class IndexedVectorSearch {
  private index: HnswIndex | null = null;
  /** The generation the loaded index was built from, and the last generation checked (with its verdict). */
  private indexGeneration = -1;
  private checked: { generation: number; headerTime: number; reason: string | null } | null = null;
  private readonly pageStatement: Database.Statement<[number, number], { rowid: number; vector: Buffer }>;
  private readonly queries: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly vectors: SqliteVectorIndex,
    private readonly indexPath: string | null,
    private readonly options: IndexedSearchOptions = DEFAULT_INDEXED_SEARCH,
  ) {
    this.queries = new StatementCache(db);
    this.pageStatement = db.prepare(
      "SELECT rowid, vector FROM track_embeddings WHERE rowid > ? ORDER BY rowid LIMIT ?",
    );
  }

  knn(vector: Float32Array, k: number, filters: TrackFilters): Hit[] {
    const index = this.options.useIndex ? this.freshIndex() : null;
    if (!index || k <= 0) return this.vectors.knn(vector, k, filters);
    return this.searchIndex(index, vector, k, hasFilters(filters) ? filters : null);
  }

  /** Builds the index when it is missing or stale and the catalog is large enough; reports what it did. */
  sync(progress: ProgressSink = () => {}): VectorIndexState {
    const before = this.state();
    if (!this.options.useIndex || before.mode === "hnsw" || this.generation() === 0) return before;
    if (before.vectors < this.options.minVectors) return before;
    this.rebuild(progress);
    return this.state();
  }

  state(): VectorIndexState {
    const generation = this.generation();
    const vectors = this.vectors.vectorCount();
    const base = { vectors, generation, file: this.indexPath };
    if (!this.options.useIndex) return { ...base, mode: "exact", reason: "exact search was asked for" };
    const fresh = this.freshIndex();
    if (vectors < this.options.minVectors && !fresh) {
      return {
        ...base,
        mode: "exact",
        reason: `${vectors} vectors, under ${this.options.minVectors}: an exact scan is fast enough`,
      };
    }
    if (fresh) return { ...base, mode: "hnsw", reason: "index matches the database" };
    return {
      ...base,
      mode: "exact",
      reason: `index not usable (${this.checked?.reason ?? "not built"}): searches scan every vector until \`spotivec ingest\` rebuilds it`,
    };
  }

  /** The loaded index when it was built from the database's current vectors, else null (loading it when fresh). */
  private freshIndex(): HnswIndex | null {
    const generation = this.generation();
    if (this.index && this.indexGeneration === generation) return this.index;
    // A stale verdict holds until the vectors or the index file change (another process may rebuild it).
    const headerTime = this.headerTime();
    if (this.checked?.generation === generation && this.checked.headerTime === headerTime) return null;
    const model = this.vectors.modelInfo();
    let reason: string | null = "no vectors";
    if (model && this.indexPath) {
      const header = readHeader(this.indexPath);
      const want: VectorSnapshot = { ...model, generation, count: this.vectors.vectorCount() };
      reason = staleReason(header, want);
      if (!reason && header) {
        try {
          this.index = HnswIndex.view(this.indexPath, header);
          this.indexGeneration = generation;
        } catch (cause) {
          reason = `cannot read ${this.indexPath}: ${cause instanceof Error ? cause.message : String(cause)}`;
        }
      }
    } else if (model) {
      reason = "in-memory index not built";
    }
    this.checked = { generation, headerTime, reason };
    return reason ? null : this.index;
  }

  private headerTime(): number {
    return this.indexPath
      ? (statSync(headerPath(this.indexPath), { throwIfNoEntry: false })?.mtimeMs ?? 0)
      : 0;
  }

  private generation(): number {
    return this.vectors.generation();
  }

  /**
   * Up to `limit` rowids of tracks passing the filters. Two or more ranges on indexed fields are read from their
   * indexes alone and intersected: one index plus a check of the others on the (wide) table rows cost 0.3 to 0.5 s
   * at 114K for a pair of broad ranges.
   */
  private admitted(filters: TrackFilters, limit: number): number[] {
    const ranges = Object.entries(filters.ranges ?? {});
    const indexed = ranges.filter(([name, range]) => range && INDEXED_FIELDS.has(name));
    let sql: string;
    let params: unknown[];
    if (indexed.length < 2) {
      const f = filterSql(filters, "rowid");
      sql = `SELECT rowid FROM tracks ${whereClause(f)} LIMIT ?`;
      params = f.params;
    } else {
      const parts = indexed.map(([name, range]) => filterSql({ ranges: { [name]: range } }, "rowid"));
      const rest = filterSql(
        { ...filters, ranges: Object.fromEntries(ranges.filter(([name]) => !INDEXED_FIELDS.has(name))) },
        "rowid",
      );
      const intersect = parts.map((p) => `SELECT rowid FROM tracks ${whereClause(p)}`).join(" INTERSECT ");
      sql = `SELECT rowid FROM tracks WHERE ${[`rowid IN (${intersect})`, ...rest.conditions].join(" AND ")} LIMIT ?`;
      params = [...parts.flatMap((p) => p.params), ...rest.params];
    }
    return this.queries
      .get<{ rowid: number }>(sql)
      .all(...params, limit)
      .map((r) => r.rowid);
  }

  /** Which of these rowids pass the filters. */
  private passing(rowids: readonly number[], filters: TrackFilters): Set<number> {
    const f = filterSql(filters, "rowid");
    const where = ["rowid IN (SELECT value FROM json_each(?))", ...f.conditions].join(" AND ");
    const rows = this.queries
      .get<{ rowid: number }>(`SELECT rowid FROM tracks WHERE ${where}`)
      .all(JSON.stringify(rowids), ...f.params);
    return new Set(rows.map((r) => r.rowid));
  }

  /**
   * The candidates (nearest first) that pass the filters, checked in growing slices until `want` pass: a broad
   * filter is settled by the first few hundred, and only a narrow one checks them all.
   */
  private passingInOrder(found: readonly number[], filters: TrackFilters, want: number): number[] {
    const kept: number[] = [];
    for (
      let start = 0, size = 4 * want;
      start < found.length && kept.length < want;
      start += size, size *= 4
    ) {
      const slice = found.slice(start, start + size);
      const pass = this.passing(slice, filters);
      for (const rowid of slice) if (pass.has(rowid)) kept.push(rowid);
    }
    return kept;
  }

  /**
   * How many tracks the filter's genres hold (an upper bound on what the whole filter admits), read from the genre
   * index in well under a millisecond; infinite without a genre filter.
   */
  private genreTrackCount(filters: TrackFilters | null): number {
    if (!filters?.genres) return Number.POSITIVE_INFINITY;
    const row = this.queries
      .get<{ n: number }>(`SELECT count(DISTINCT track_rowid) AS n FROM (${GENRE_ROWIDS_SQL})`)
      .get(JSON.stringify(filters.genres));
    return row?.n ?? 0;
  }

  /** Exact: every admitted track's stored vector, scored. */
  private scan(rowids: readonly number[], vector: Float32Array, k: number): Hit[] {
    return this.vectors.nearestAmong(rowids, vector, k);
  }

  /**
   * Candidates from the index, twice as many as wanted, kept when they pass the filter, rescored exactly; asked
   * again with a larger k (from the pass rate so far) while too few pass. A selective filter (the index would have
   * to return more than fetchMax) or an exhausted index (a graph search may not reach every node) ends in a scan of
   * the filter's tracks.
   */
  private searchIndex(
    index: HnswIndex,
    vector: Float32Array,
    k: number,
    filters: TrackFilters | null,
  ): Hit[] {
    // The rescoring pool: the index ranks by float16 vectors, so nearby ranks may swap.
    const want = Math.max(2 * k, 40);
    // Asking for ef-many at once (the walk visits them anyway) was 7% faster at the median but 35% slower at p95:
    // its surer pass-rate estimate keeps narrow filters on the index where a scan of their tracks is quicker.
    let fetch = filters ? 4 * want : want;
    let scanTried = false;
    for (;;) {
      const found = index.search(vector, fetch).map((h) => h.rowid);
      const kept = filters ? this.passingInOrder(found, filters, want) : found;
      // The nearest `want` by the index's distances are rescored, as without a filter.
      if (kept.length >= want) return this.vectors.nearestAmong(kept.slice(0, want), vector, k);
      const exhausted = found.length < fetch || fetch >= index.count;
      const needed = Math.ceil((1.5 * want * found.length) / Math.max(kept.length, 1));
      // A candidate from the index costs about three scanned tracks (graph walk and filter check, 10 us, against
      // 3 us to list and score a track at 114K): scan when the filter's genres hold fewer than that.
      const fewerInGenres =
        !scanTried && needed > fetch && this.genreTrackCount(filters) <= CANDIDATE_COST_IN_SCANNED * needed;
      if (exhausted || fewerInGenres || (!scanTried && needed > this.options.fetchMax)) {
        const rows = this.admitted(filters ?? {}, exhausted ? -1 : this.options.scanMax + 1);
        if (exhausted || rows.length <= this.options.scanMax) return this.scan(rows, vector, k);
        scanTried = true;
      }
      fetch = Math.min(index.count, Math.max(4 * fetch, needed));
    }
  }

  /** Rebuilds from the database's vectors, read in one transaction so the index matches the generation it records. */
  private rebuild(progress: ProgressSink): void {
    const model = this.vectors.modelInfo();
    if (!model) return;
    const build = this.db.transaction(() => {
      const snapshot: VectorSnapshot = {
        ...model,
        generation: this.generation(),
        count: this.vectors.vectorCount(),
      };
      let index = HnswIndex.empty(model.dims);
      progress({ phase: "index", done: 0, total: snapshot.count });
      for (let after = -1; ; ) {
        const page = this.pageStatement.all(after, BUILD_BATCH);
        if (page.length === 0) break;
        const keys = new BigUint64Array(page.length);
        const matrix = new Float32Array(page.length * model.dims);
        page.forEach((r, i) => {
          keys[i] = BigInt(r.rowid);
          matrix.set(new Float32Array(r.vector.buffer, r.vector.byteOffset, model.dims), i * model.dims);
        });
        index = index.add(keys, matrix);
        after = (page.at(-1) as { rowid: number }).rowid;
        progress({ phase: "index", done: index.count, total: snapshot.count });
      }
      return { index, snapshot };
    });
    const { index, snapshot } = build();
    if (this.indexPath) {
      index.save(this.indexPath, snapshot);
      this.index = null;
      this.checked = null;
      this.freshIndex();
    } else {
      this.index = index;
      this.indexGeneration = snapshot.generation;
      this.checked = { generation: snapshot.generation, headerTime: 0, reason: null };
    }
  }
}
