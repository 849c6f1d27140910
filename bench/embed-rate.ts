/**
 * Embedding throughput alone: N stored descriptions through the model in batches, several runs, median.
 *
 *   node --import tsx bench/embed-rate.ts --db FILE [--n 3000] [--batch 64] [--runs 3] [--threads N]
 */
import { parseArgs } from "node:util";
import { createEmbedder, DEFAULT_MODEL } from "../src/embed/embedder.js";
import { openStore } from "../src/store/store.js";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    n: { type: "string", default: "3000" },
    batch: { type: "string", default: "64" },
    runs: { type: "string", default: "3" },
    threads: { type: "string" },
  },
});
if (!args.db) throw new Error("--db FILE is required");
const store = openStore(args.db);
const texts = store
  .getTracks(store.filterOnly(Number(args.n), {}))
  .map((t) => t.description ?? "")
  .sort((a, b) => a.length - b.length);
const embedder = await createEmbedder(DEFAULT_MODEL, {
  offline: true,
  threads: args.threads ? Number(args.threads) : undefined,
});
const batch = Number(args.batch);
const rates: number[] = [];
for (let r = 0; r < Number(args.runs); r++) {
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += batch) await embedder.embed(texts.slice(i, i + batch), "document");
  rates.push(texts.length / ((performance.now() - t0) / 1000));
}
rates.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    descriptions: texts.length,
    batch,
    runs: rates.map((x) => Math.round(x)),
    medianPerSecond: Math.round(rates[Math.floor(rates.length / 2)] as number),
  }),
);
await embedder.close();
store.close();
