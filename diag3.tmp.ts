import { Index, MetricKind, ScalarKind } from "usearch";
import { openStore } from "./src/store/store.js";
import { createEmbedder, DEFAULT_MODEL } from "./src/embed/embedder.js";
import { QUERY_TEXTS } from "./bench/search-queries.js";
const exact = openStore("/tmp/db-ann/114k.db", { readonly: true, vectorSearch: { useIndex: false } });
const emb = await createEmbedder(DEFAULT_MODEL);
const v = (await emb.embed([QUERY_TEXTS[6]!], "query"))[0]!;
const want = exact.knn(v, 10, {});
console.log(QUERY_TEXTS[6], want.map(h => `${h.rowid}:${h.distance.toFixed(4)}`).join(" "));
const idx = new Index({ dimensions: 384, metric: MetricKind.Cos, quantization: ScalarKind.F16, connectivity: 16, expansion_add: 64, expansion_search: 256, multi: false });
idx.view("/tmp/db-ann/114k.db.hnsw");
console.log("size", idx.size(), "contains", want.map(h => idx.contains(BigInt(h.rowid))));
for (const k of [10, 100, 1000, 5000]) {
  const r = idx.search(v, k, 1);
  const keys = new Set(Array.from(r.keys, Number));
  console.log(k, "found of top10:", want.filter(h => keys.has(h.rowid)).length, "first", Array.from(r.distances.slice(0, 5)).map(d => d.toFixed(4)).join(","));
}
const sv = exact.vectorOf(want[0]!.rowid)!;
let dot = 0; for (let i = 0; i < 384; i++) dot += sv[i]! * v[i]!;
console.log("stored vector dot", dot, "norm", Math.hypot(...sv));
