/**
 * ANN libraries side by side on a real database's stored vectors (MiniLM, 384 dims): build time, index file size,
 * query p50 at k=10 and k=100, recall@10 against an exact dot-product scan. Queries are the search benchmark's
 * texts embedded with the same model.
 *
 *   npm install --no-save hnswlib-node     (a native build: needs a C++ toolchain; not a dependency of spotivec)
 *   node --import tsx bench/ann-candidates.ts --db DB [--threads 2]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { Index, MetricKind, ScalarKind } from "usearch";
import { createEmbedder, DEFAULT_MODEL } from "../src/embed/embedder.js";
import { QUERY_TEXTS } from "./search-queries.js";

const { values: args } = parseArgs({
  options: { db: { type: "string" }, threads: { type: "string", default: "2" } },
});
if (!args.db) throw new Error("--db DB is required");
const threads = Number(args.threads);

const db = new Database(args.db, { readonly: true });
sqliteVec.load(db);
const rows = db.prepare("SELECT track_rowid AS rowid, embedding FROM track_vectors").all() as Array<{
  rowid: number;
  embedding: Buffer;
}>;
const dims = rows[0] ? rows[0].embedding.byteLength / 4 : 0;
const n = rows.length;
const matrix = new Float32Array(n * dims);
const keys = new BigUint64Array(n);
rows.forEach((r, i) => {
  matrix.set(new Float32Array(r.embedding.buffer, r.embedding.byteOffset, dims), i * dims);
  keys[i] = BigInt(r.rowid);
});
db.close();

const embedder = await createEmbedder(DEFAULT_MODEL);
const queries = await embedder.embed(QUERY_TEXTS, "query");

function exactTop(q: Float32Array, k: number): number[] {
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * dims;
    for (let d = 0; d < dims; d++) s += (matrix[o + d] as number) * (q[d] as number);
    scores[i] = s;
  }
  return [...scores.keys()]
    .sort((a, b) => (scores[b] as number) - (scores[a] as number))
    .slice(0, k)
    .map((i) => Number(keys[i]));
}
const truth = queries.map((q) => exactTop(q, 10));

interface Candidate {
  name: string;
  build(): void;
  save(path: string): void;
  query(q: Float32Array, k: number): number[];
}

function measure(c: Candidate, dir: string) {
  const t0 = performance.now();
  c.build();
  const buildS = (performance.now() - t0) / 1000;
  const file = join(dir, c.name.replace(/\W+/g, "_"));
  c.save(file);
  const bytes = statSync(file).size;
  const timed = (k: number) => {
    const ms: number[] = [];
    let hits = 0;
    queries.forEach((q, i) => {
      const t = performance.now();
      const got = c.query(q, k);
      ms.push(performance.now() - t);
      const want = new Set(truth[i]);
      hits += got.slice(0, 10).filter((r) => want.has(r)).length;
    });
    ms.sort((a, b) => a - b);
    return {
      p50Ms: Number((ms[Math.floor(ms.length / 2)] as number).toFixed(3)),
      recallAt10: hits / (10 * queries.length),
    };
  };
  return {
    name: c.name,
    buildS: Number(buildS.toFixed(1)),
    fileMB: Number((bytes / 2 ** 20).toFixed(1)),
    k10: timed(10),
    k100: timed(100),
  };
}

function usearchCandidate(quantization: ScalarKind): Candidate {
  let index: Index;
  return {
    name: `usearch HNSW ${quantization} M=16 efC=128 ef=128`,
    build() {
      index = new Index({
        dimensions: dims,
        metric: MetricKind.Cos,
        quantization,
        connectivity: 16,
        expansion_add: 128,
        expansion_search: 128,
        multi: false,
      });
      index.add(keys, matrix, threads);
    },
    save: (path) => index.save(path),
    query: (q, k) => [...index.search(q, k, 1).keys].map(Number),
  };
}

interface HnswlibIndex {
  initIndex(maxElements: number, m: number, efConstruction: number): void;
  setEf(ef: number): void;
  addPoint(point: number[], label: number): void;
  writeIndexSync(path: string): void;
  searchKnn(point: number[], k: number): { neighbors: number[] };
}
type Hnswlib = { HierarchicalNSW: new (space: string, dims: number) => HnswlibIndex };

/** hnswlib-node when installed (see the usage above), else null. */
async function loadHnswlib(): Promise<Hnswlib | null> {
  try {
    const name = "hnswlib-node";
    return ((await import(name)) as { default: Hnswlib }).default;
  } catch {
    console.error("hnswlib-node is not installed: measuring usearch only");
    return null;
  }
}

function hnswlibCandidate(hnswlib: Hnswlib): Candidate {
  let index: HnswlibIndex;
  return {
    name: "hnswlib-node HNSW f32 M=16 efC=128 ef=128",
    build() {
      index = new hnswlib.HierarchicalNSW("cosine", dims);
      index.initIndex(n, 16, 128);
      index.setEf(128);
      for (let i = 0; i < n; i++)
        index.addPoint(Array.from(matrix.subarray(i * dims, (i + 1) * dims)), Number(keys[i]));
    },
    save: (path) => index.writeIndexSync(path),
    query: (q, k) => index.searchKnn(Array.from(q), k).neighbors,
  };
}

const dir = mkdtempSync(join(tmpdir(), "ann-candidates-"));
try {
  const hnswlib = await loadHnswlib();
  const candidates = [usearchCandidate(ScalarKind.F32), usearchCandidate(ScalarKind.I8)];
  if (hnswlib) candidates.push(hnswlibCandidate(hnswlib));
  const results = candidates.map((c) => {
    const r = measure(c, dir);
    console.error(JSON.stringify(r));
    return r;
  });
  console.log(JSON.stringify({ vectors: n, dims, queries: queries.length, threads, results }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
