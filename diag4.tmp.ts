import Database from "better-sqlite3";
import { Index, MetricKind, ScalarKind } from "usearch";
import { createEmbedder, DEFAULT_MODEL } from "./src/embed/embedder.js";
import { QUERY_TEXTS } from "./bench/search-queries.js";
const [file, M, efc, build] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4]), process.argv[5] === "build"];
const db = new Database("/tmp/db-ann/114k.db", { readonly: true });
const rows = db.prepare("SELECT rowid, vector FROM track_embeddings ORDER BY rowid").all() as Array<{ rowid: number; vector: Buffer }>;
const n = rows.length, dims = 384;
const matrix = new Float32Array(n * dims); const keys = new BigUint64Array(n);
rows.forEach((r, i) => { matrix.set(new Float32Array(r.vector.buffer, r.vector.byteOffset, dims), i * dims); keys[i] = BigInt(r.rowid); });
const emb = await createEmbedder(DEFAULT_MODEL);
const qs = await emb.embed(QUERY_TEXTS, "query");
const truth = qs.map((q) => { const s = new Float32Array(n); for (let i = 0; i < n; i++) { let d = 0; for (let j = 0; j < dims; j++) d += matrix[i * dims + j]! * q[j]!; s[i] = d; } return [...s.keys()].sort((a, b) => s[b]! - s[a]!).slice(0, 10).map(i => Number(keys[i])); });
const make = (ef: number) => new Index({ dimensions: dims, metric: MetricKind.Cos, quantization: ScalarKind.F16, connectivity: M, expansion_add: efc, expansion_search: ef, multi: false });
if (build) { const t = performance.now(); const idx = make(256); for (let i = 0; i < n; i += 8192) idx.add(keys.slice(i, i + 8192), matrix.slice(i * dims, Math.min(n, i + 8192) * dims), 0); idx.save(file); console.log("build s", ((performance.now() - t) / 1000).toFixed(0)); }
for (const ef of [256, 512, 1024]) {
  const idx = make(ef); idx.view(file);
  let hits = 0; const ms: number[] = [];
  qs.forEach((q, i) => { const t = performance.now(); const r = idx.search(q, 40, 1); ms.push(performance.now() - t); const got = new Set(Array.from(r.keys, Number)); hits += truth[i]!.filter(x => got.has(x)).length; });
  ms.sort((a, b) => a - b);
  console.log(`M=${M} efc=${efc} ef=${ef} recall@10(in top40) ${(hits / 300).toFixed(3)} p50 ${ms[15]!.toFixed(2)} ms`);
}
