/**
 * The same planned searches on two databases holding the same ingest (a SQLite file and a PostgreSQL database, say):
 * each query's top 10 from both, their overlap, and each side's latency (median of --runs, query embedding
 * included, in process, after one warm-up run).
 *
 *   node --import tsx bench/parity.ts --a DB --b DB [--queries ../shared/bench/queries.dev.jsonl]
 *     [--likes ../shared/bench/likes.txt] [--runs 3] [--json]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createEmbedder, DEFAULT_MODEL } from "../src/embed/embedder.js";
import { checkLikesFile, resolveLikesFile } from "../src/likes/likes.js";
import { plannedSearch } from "../src/search/search.js";
import { openStore, redactSecrets, type Store } from "../src/store/store.js";

const { values: args } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string" },
    queries: { type: "string", default: "../shared/bench/queries.dev.jsonl" },
    likes: { type: "string", default: "../shared/bench/likes.txt" },
    runs: { type: "string", default: "3" },
    json: { type: "boolean", default: false },
  },
});
if (!args.a || !args.b) {
  console.error(
    "usage: node --import tsx bench/parity.ts --a DB --b DB [--queries FILE] [--likes FILE] [--runs 3]",
  );
  process.exit(2);
}
const runs = Math.max(1, Number(args.runs));
const queries = readFileSync(args.queries, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; query: string });

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;

async function side(path: string) {
  const store: Store = openStore(path, { readonly: true });
  const embedder = await createEmbedder(store.modelInfo()?.model ?? DEFAULT_MODEL, { offline: true });
  const resolved = await resolveLikesFile(store, await checkLikesFile(args.likes));
  const likes = { tracks: store.getTracks(resolved.rowids), from: args.likes };
  const run = async (text: string) => {
    const request = { text, filters: {}, limit: 10, likes };
    await plannedSearch(store, embedder, request);
    const ms: number[] = [];
    let ids: string[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      ids = (await plannedSearch(store, embedder, request)).results.map((r) => r.id);
      ms.push(performance.now() - t);
    }
    return { ids, ms: median(ms) };
  };
  const close = async () => {
    await embedder.close();
    store.close();
  };
  return { run, close };
}

const a = await side(args.a);
const b = await side(args.b);
const rows = [];
for (const q of queries) {
  const [ra, rb] = [await a.run(q.query), await b.run(q.query)];
  const shared = rb.ids.filter((id) => ra.ids.includes(id)).length;
  rows.push({
    id: q.id,
    query: q.query,
    overlap: ra.ids.length === 0 ? 1 : shared / ra.ids.length,
    sameOrder: JSON.stringify(ra.ids) === JSON.stringify(rb.ids),
    msA: +ra.ms.toFixed(1),
    msB: +rb.ms.toFixed(1),
  });
}
await a.close();
await b.close();
const summary = {
  a: redactSecrets(args.a),
  b: redactSecrets(args.b),
  queries: rows.length,
  meanOverlap: +(rows.reduce((s, r) => s + r.overlap, 0) / rows.length).toFixed(3),
  identicalTop10: rows.filter((r) => r.sameOrder).length,
  medianMsA: median(rows.map((r) => r.msA)),
  medianMsB: median(rows.map((r) => r.msB)),
};
if (args.json) console.log(JSON.stringify({ ...summary, rows }, null, 2));
else {
  console.log("| query | overlap@10 | same order | ms A | ms B |\n|---|---|---|---|---|");
  for (const r of rows)
    console.log(
      `| ${r.id} ${r.query} | ${r.overlap.toFixed(1)} | ${r.sameOrder ? "yes" : "no"} | ${r.msA} | ${r.msB} |`,
    );
  console.log(`\n${JSON.stringify(summary)}`);
}
