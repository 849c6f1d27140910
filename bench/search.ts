/**
 * Search latency and recall on a database, in process, query embedding included (MiniLM):
 *
 *   npm run bench:search -- --db DB [--json] [--exact] [--queries 50] [--limit 10]
 *
 * 50 mixed queries (every other one with filters: broad ranges, narrow combinations, a genre set) through plain
 * search (embed + KNN + rows), each once (p50Ms, p95Ms), then all once more (secondPass: the pages they touched are
 * in memory by then). Opens the database as a writer first: it applies pending migrations and builds the ANN index
 * when missing or stale (the build time is reported); the searches run on read-only connections, as `search` and
 * `serve` open them. recallAt10 compares each query's 10 nearest with the exact scan's (the vec0 table, on a second
 * connection), filters included. --exact also times the exact scan, in the same run. knnK100 times the KNN alone at
 * the candidate count planned search asks for (limit 10 -> k = 100).
 */
import { parseArgs } from "node:util";
import { createEmbedder, DEFAULT_MODEL, type Embedder } from "../src/embed/embedder.js";
import { candidateCount, search } from "../src/search/search.js";
import { openStore, type Store, type TrackFilters } from "../src/store/store.js";
import { FILTER_SETS, QUERY_TEXTS } from "./search-queries.js";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    json: { type: "boolean", default: false },
    exact: { type: "boolean", default: false },
    queries: { type: "string", default: "50" },
    limit: { type: "string", default: "10" },
  },
});
if (!args.db) {
  console.error("usage: npm run bench:search -- --db DB [--json] [--exact] [--queries 50] [--limit 10]");
  process.exit(2);
}
const dbPath = args.db;
const limit = Number(args.limit);

interface Query {
  text: string;
  filters: TrackFilters;
}

const queries: Query[] = Array.from({ length: Number(args.queries) }, (_, i) => ({
  text: QUERY_TEXTS[i % QUERY_TEXTS.length] as string,
  filters: i % 2 === 1 ? (FILTER_SETS[Math.floor(i / 2) % FILTER_SETS.length] as TrackFilters) : {},
}));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50Ms: +percentile(sorted, 0.5).toFixed(2), p95Ms: +percentile(sorted, 0.95).toFixed(2) };
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

/** Each query's time (the first, warm-up query is not timed). */
async function timed(store: Store, embedder: Embedder) {
  await search(store, embedder, { text: "warm up", filters: {}, limit });
  const ms: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await search(store, embedder, { text: q.text, filters: q.filters, limit });
    ms.push(performance.now() - t0);
  }
  return { ms };
}

/** The KNN alone at planned search's candidate count, over pre-embedded queries. */
function knnOnly(store: Store, vectors: Float32Array[]) {
  const k = candidateCount(limit);
  const ms = vectors.map((v, i) => {
    const t0 = performance.now();
    store.knn(v, k, queries[i]?.filters ?? {});
    return performance.now() - t0;
  });
  return { k, ...summary(ms) };
}

const embedder = await createEmbedder(DEFAULT_MODEL);
// A writer applies migrations and builds the index; searches then run on read-only connections, as search and serve's.
const writer = openStore(dbPath);
const buildStarted = performance.now();
const before = writer.indexState?.();
let lastShown = 0;
const index = writer.syncIndex?.((e) => {
  if (e.done - lastShown < 50_000 && e.done !== e.total) return;
  lastShown = e.done;
  console.error(
    `indexing vectors: ${e.done}/${e.total} (${((performance.now() - buildStarted) / 1000).toFixed(0)} s)`,
  );
});
const indexBuildS =
  before?.mode === index?.mode ? null : +((performance.now() - buildStarted) / 1000).toFixed(1);
writer.close();
const store = openStore(dbPath, { readonly: true });
const exactStore = openStore(dbPath, { readonly: true, vectorSearch: { useIndex: false } });

const indexed = await timed(store, embedder);
// The same queries again: what a server that has run a while answers, the index's and database's pages in memory.
const indexedAgain = await timed(store, embedder);
const exactRun = await timed(exactStore, embedder);
const vectors = await embedder.embed(
  queries.map((q) => q.text),
  "query",
);
/**
 * recall@10 against the exact scan: a result counts when it is one of the exact top 10, or as near as the exact
 * 10th (the catalog holds identical descriptions, hence identical vectors, and either of two tied tracks is right).
 * recallAt10Ids counts only the very same tracks.
 */
function recall() {
  let hits = 0;
  let sameIds = 0;
  let wanted = 0;
  vectors.forEach((v, i) => {
    const filters = queries[i]?.filters ?? {};
    const want = exactStore.knn(v, 10, filters);
    const got = store.knn(v, 10, filters);
    const ids = new Set(want.map((h) => h.rowid));
    const last = want.at(-1)?.distance ?? Number.POSITIVE_INFINITY;
    wanted += want.length;
    hits += got.filter((h) => ids.has(h.rowid) || h.distance <= last + 1e-6).length;
    sameIds += got.filter((h) => ids.has(h.rowid)).length;
  });
  return {
    recallAt10: +(hits / Math.max(wanted, 1)).toFixed(4),
    recallAt10Ids: +(sameIds / Math.max(wanted, 1)).toFixed(4),
  };
}
const report = {
  db: dbPath,
  tracks: store.stats().tracks,
  vectors: index?.vectors ?? null,
  index,
  indexBuildS,
  queries: queries.length,
  limit,
  ...summary(indexed.ms),
  secondPass: summary(indexedAgain.ms),
  ...recall(),
  knnK100: knnOnly(store, vectors),
  ...(args.exact ? { exact: { ...summary(exactRun.ms), knnK100: knnOnly(exactStore, vectors) } } : {}),
  peakRssMiB: Math.round(peakRss / 2 ** 20),
};
clearInterval(sampler);
store.close();
exactStore.close();
await embedder.close();
if (args.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(
    `${report.tracks} tracks, ${report.queries} queries: p50 ${report.p50Ms} ms, p95 ${report.p95Ms} ms (second pass ${report.secondPass.p50Ms} / ${report.secondPass.p95Ms} ms), recall@10 ${report.recallAt10} (${index?.mode}: ${index?.reason})`,
  );
  if (report.exact) console.log(`exact scan: p50 ${report.exact.p50Ms} ms, p95 ${report.exact.p95Ms} ms`);
}
