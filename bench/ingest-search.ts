/**
 * Ingest and search benchmark on the real 114K file (and, with --scale, 114K + the synthetic 600K catalog).
 *
 *   npm run bench -- [--data FILE] [--scale DIR] [--work DIR] [--queries 50] [--out bench/results/NAME]
 *
 * Reports parse+describe tracks/s, embedding descriptions/s, total minutes, database size, peak memory, and
 * search latency p50/p95 (query embedding included) with and without filters. Figures go to stdout and, with
 * --out, to NAME.json and NAME.md.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Phase, ProgressEvent } from "../src/domain/progress.js";
import { createEmbedder, type Embedder, MINILM_MODEL } from "../src/embed/embedder.js";
import { type IngestSummary, ingest } from "../src/ingest/pipeline.js";
import { search } from "../src/search/search.js";
import { openStore, type Store, type TrackFilters } from "../src/store/store.js";
import { FILTER_SETS, QUERY_TEXTS } from "./search-queries.js";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: resolve("../shared/data/spotify_tracks_dataset_114k.csv.gz") },
    scale: { type: "string" },
    work: { type: "string", default: join(homedir(), ".cache", "spotivec", "bench") },
    queries: { type: "string", default: "50" },
    out: { type: "string" },
    "reuse-114k": { type: "boolean", default: false },
  },
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function dbBytes(path: string): number {
  return [path, `${path}-wal`].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
}

interface PhaseTiming {
  first: number;
  last: number;
  done: number;
}

async function timedIngest(files: string[], dbPath: string, embedder: Embedder) {
  const phases = new Map<Phase, PhaseTiming>();
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  const onProgress = (e: ProgressEvent) => {
    const now = performance.now();
    const t = phases.get(e.phase) ?? { first: now, last: now, done: 0 };
    t.last = now;
    t.done = e.done;
    phases.set(e.phase, t);
  };
  const store = openStore(dbPath);
  const started = performance.now();
  let summary: IngestSummary;
  try {
    summary = await ingest({
      files,
      store,
      embedder,
      rejectsPath: `${dbPath}.rejects.jsonl`,
      progress: onProgress,
    });
  } finally {
    clearInterval(sampler);
    store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const secs = (p: Phase) => {
    const t = phases.get(p);
    return t ? (t.last - t.first) / 1000 : 0;
  };
  const parseDescribeSeconds = secs("parse") + secs("describe");
  return {
    summary,
    seconds,
    parseSeconds: secs("parse"),
    describeSeconds: secs("describe"),
    embedSeconds: secs("embed"),
    rowsPerSecond: summary.rowsRead / Math.max(secs("parse"), 1e-9),
    parseDescribeTracksPerSecond:
      (summary.tracks.inserted + summary.tracks.updated) / Math.max(parseDescribeSeconds, 1e-9),
    embedPerSecond: summary.embedded / Math.max(secs("embed"), 1e-9),
    peakRssMiB: Math.round(peakRss / 2 ** 20),
  };
}

async function latency(store: Store, embedder: Embedder, n: number) {
  const plain: number[] = [];
  const filtered: number[] = [];
  // Warm up: first query pays for lazy initialisation and page cache.
  await search(store, embedder, { text: "warm up", filters: {}, limit: 10 });
  for (let i = 0; i < n; i++) {
    const text = QUERY_TEXTS[i % QUERY_TEXTS.length] as string;
    const withFilters = i % 2 === 1;
    const filters = withFilters ? (FILTER_SETS[i % FILTER_SETS.length] as TrackFilters) : {};
    const t0 = performance.now();
    const results = await search(store, embedder, { text, filters, limit: 10 });
    const ms = performance.now() - t0;
    if (results.length === 0) throw new Error(`no results for "${text}"`);
    (withFilters ? filtered : plain).push(ms);
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { n: s.length, p50: +percentile(s, 0.5).toFixed(1), p95: +percentile(s, 0.95).toFixed(1) };
  };
  return { all: stats([...plain, ...filtered]), plain: stats(plain), filtered: stats(filtered) };
}

async function main() {
  const queries = Number(args.queries);
  mkdirSync(args.work as string, { recursive: true });
  const db114k = join(args.work as string, "bench-114k.db");
  const embedder = await createEmbedder(MINILM_MODEL, { offline: true });
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    model: MINILM_MODEL,
    cpus: (await import("node:os")).cpus().length,
  };

  if (!args["reuse-114k"] || !existsSync(db114k)) {
    for (const p of [db114k, `${db114k}-wal`, `${db114k}-shm`]) rmSync(p, { force: true });
    console.error(`ingesting ${args.data} ...`);
    const r = await timedIngest([args.data as string], db114k, embedder);
    report.ingest114k = {
      ...r,
      dbMiB: +(dbBytes(db114k) / 2 ** 20).toFixed(1),
      minutes: +(r.seconds / 60).toFixed(2),
    };
    console.error(JSON.stringify(report.ingest114k, null, 1));
  }
  {
    const store = openStore(db114k);
    report.search114k = { tracks: store.stats().tracks, ...(await latency(store, embedder, queries)) };
    store.close();
    console.error(JSON.stringify(report.search114k));
  }

  if (args.scale) {
    const tracks = join(args.scale, "synthetic_600k_tracks.csv.gz");
    const artists = join(args.scale, "synthetic_600k_artists.csv.gz");
    const db700k = join(args.work as string, "bench-700k.db");
    if (!existsSync(db700k)) {
      copyFileSync(db114k, db700k);
      console.error(`ingesting ${tracks} and ${artists} on top of the 114K catalog ...`);
      const r = await timedIngest([artists, tracks], db700k, embedder);
      report.ingest600k = {
        ...r,
        dbMiB: +(dbBytes(db700k) / 2 ** 20).toFixed(1),
        minutes: +(r.seconds / 60).toFixed(2),
      };
      console.error(JSON.stringify(report.ingest600k, null, 1));
    }
    const store = openStore(db700k);
    report.search700k = { tracks: store.stats().tracks, ...(await latency(store, embedder, queries)) };
    store.close();
    console.error(JSON.stringify(report.search700k));
  }
  await embedder.close();
  console.log(JSON.stringify(report, null, 2));
  if (args.out) writeFileSync(`${args.out}.json`, `${JSON.stringify(report, null, 2)}\n`);
}

await main();
