import { openStore } from "./src/store/store.js";
import { createEmbedder, DEFAULT_MODEL } from "./src/embed/embedder.js";
import { FILTER_SETS, QUERY_TEXTS } from "./bench/search-queries.js";
const store = openStore("/tmp/db-ann/114k.db", { readonly: true });
const exact = openStore("/tmp/db-ann/114k.db", { readonly: true, vectorSearch: { useIndex: false } });
const emb = await createEmbedder(DEFAULT_MODEL);
const vs = await emb.embed(QUERY_TEXTS, "query");
store.knn(vs[0]!, 10, {});
for (let i = 0; i < 50; i++) {
  const f = i % 2 === 1 ? FILTER_SETS[Math.floor(i / 2) % FILTER_SETS.length]! : {};
  const v = vs[i % vs.length]!;
  const t0 = performance.now();
  const got = store.knn(v, 10, f);
  const ms = performance.now() - t0;
  const want = exact.knn(v, 10, f);
  const ids = new Set(want.map((h) => h.rowid));
  const last = want.at(-1)?.distance ?? 9;
  const hits = got.filter((h) => ids.has(h.rowid) || h.distance <= last + 1e-6).length;
  if (hits < 10 || ms > 50) console.log(i, JSON.stringify(f), "hits", hits, "ms", ms.toFixed(1), "got", got.map(h=>h.distance.toFixed(4)).join(","), "want", want.map(h=>h.distance.toFixed(4)).join(","));
}
