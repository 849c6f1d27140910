/**
 * What planning and ranking add to a search: each query runs plain (embed + KNN) and planned (plan + KNN with
 * hard filters + fused ranking), in-process with a warm model, several times; medians are compared.
 *
 *   node --import tsx bench/plan-overhead.ts [--db FILE] [--runs 5] [--queries FILE.jsonl ...]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { defaultDbPath } from "../src/domain/paths.js";
import { createEmbedder } from "../src/embed/embedder.js";
import { plannedSearch, search } from "../src/search/search.js";
import { openStore } from "../src/store/store.js";

const { values: args, positionals } = parseArgs({
  options: { db: { type: "string", default: defaultDbPath() }, runs: { type: "string", default: "5" } },
  allowPositionals: true,
});
const files =
  positionals.length > 0
    ? positionals
    : ["../shared/bench/queries.dev.jsonl", "bench/queries/paraphrase.jsonl"];
const queries = files.flatMap((f) =>
  readFileSync(f, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { query: string }).query),
);

const store = openStore(args.db as string);
const model = store.modelInfo()?.model;
if (!model) throw new Error(`no model recorded in ${args.db}`);
const embedder = await createEmbedder(model, { offline: true });
const runs = Number(args.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

await plannedSearch(store, embedder, { text: "warm up", filters: {}, limit: 10 });
const rows: Array<{ query: string; plain: number; planned: number; overhead: number }> = [];
for (const query of queries) {
  const plain: number[] = [];
  const planned: number[] = [];
  for (let i = 0; i < runs; i++) {
    plain.push(await time(() => search(store, embedder, { text: query, filters: {}, limit: 10 })));
    planned.push(await time(() => plannedSearch(store, embedder, { text: query, filters: {}, limit: 10 })));
  }
  rows.push({
    query,
    plain: median(plain),
    planned: median(planned),
    overhead: median(planned) - median(plain),
  });
}
for (const r of rows)
  console.log(
    `${r.plain.toFixed(1).padStart(7)} ms  ${r.planned.toFixed(1).padStart(7)} ms  +${r.overhead.toFixed(1).padStart(6)} ms  ${r.query}`,
  );
const overheads = rows.map((r) => r.overhead).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    tracks: store.stats().tracks,
    queries: rows.length,
    runsPerQuery: runs,
    plainMedianMs: +median(rows.map((r) => r.plain)).toFixed(1),
    plannedMedianMs: +median(rows.map((r) => r.planned)).toFixed(1),
    overheadMedianMs: +median(overheads).toFixed(1),
    overheadP90Ms: +(overheads[Math.floor(overheads.length * 0.9)] as number).toFixed(1),
    overheadMaxMs: +(overheads[overheads.length - 1] as number).toFixed(1),
  }),
);
await embedder.close();
store.close();
