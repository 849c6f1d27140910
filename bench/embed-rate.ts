/**
 * Embedding throughput: N stored descriptions through each model, runs interleaved, median descriptions/s.
 *
 *   npm run bench:ingest -- --db FILE [--n 3000] [--batch 64] [--runs 3] [--threads 2]
 *     [--models hash,static:minilm-m2v,Xenova/all-MiniLM-L6-v2] [--peer] [--python PATH]
 *
 * Texts are sorted by length for every contender. Transformers.js models run two ways: "one batch at a time" (as
 * ingest embedded before) and "embedInBatches" (identical texts once, the next batch tokenized while one runs, as
 * ingest does now). --peer adds onnxruntime in Python (bench/embed-peer.py) on the same int8 ONNX file, texts,
 * order, batch size and thread count, once per round, so load on the machine hits every contender alike.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultModelDir } from "../src/domain/paths.js";
import { embedInBatches } from "../src/embed/batch.js";
import { createEmbedder, type Embedder, MINILM_MODEL, STATIC_MODEL } from "../src/embed/embedder.js";
import { openStore } from "../src/store/store.js";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    n: { type: "string", default: "3000" },
    batch: { type: "string", default: "64" },
    runs: { type: "string", default: "3" },
    threads: { type: "string", default: "2" },
    models: { type: "string", default: `hash,${STATIC_MODEL},${MINILM_MODEL}` },
    peer: { type: "boolean", default: false },
    python: { type: "string", default: join(homedir(), ".cache", "spotivec", "model-venv", "bin", "python") },
  },
});
if (!args.db) throw new Error("--db FILE is required");
const store = openStore(args.db, { readonly: true });
const texts = store
  .getTracks(store.filterOnly(Number(args.n), {}))
  .map((t) => t.description ?? "")
  .sort((a, b) => a.length - b.length);
store.close();
const batchSize = Number(args.batch);
const threads = Number(args.threads);

/** Descriptions per wall-clock second, and per CPU second (all threads): on a loaded machine the second says more. */
type Rate = { wall: number; cpu: number };
type Contender = { name: string; run: () => Promise<Rate> };
const contenders: Contender[] = [];
const embedders: Embedder[] = [];
const timed = async (work: () => Promise<unknown>): Promise<Rate> => {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await work();
  const cpu = process.cpuUsage(cpu0);
  return {
    wall: texts.length / ((performance.now() - t0) / 1000),
    cpu: texts.length / ((cpu.user + cpu.system) / 1e6),
  };
};
for (const model of args.models.split(",").filter(Boolean)) {
  const embedder = await createEmbedder(model, { offline: true, threads });
  embedders.push(embedder);
  await embedder.embed(texts.slice(0, batchSize), "document"); // warm-up: first-run allocations are not the rate
  const overlapped = () => timed(() => embedInBatches(embedder, texts, "document", { batchSize }));
  if (model.includes("/")) {
    contenders.push({
      name: `${model} one batch at a time`,
      run: () =>
        timed(async () => {
          for (let i = 0; i < texts.length; i += batchSize)
            await embedder.embed(texts.slice(i, i + batchSize), "document");
        }),
    });
    contenders.push({ name: `${model} embedInBatches`, run: overlapped });
  } else contenders.push({ name: model, run: overlapped });
}
if (args.peer) {
  const textsFile = join(tmpdir(), `spotivec-embed-peer-${process.pid}.jsonl`);
  writeFileSync(textsFile, texts.map((t) => JSON.stringify(t)).join("\n"));
  const peerArgs = [
    "bench/embed-peer.py",
    "--model-dir",
    join(defaultModelDir(), MINILM_MODEL),
    "--texts",
    textsFile,
  ];
  peerArgs.push("--batch", String(batchSize), "--threads", String(threads), "--runs", "1");
  contenders.push({
    name: "onnxruntime (Python) peer",
    run: async () => {
      const reply = JSON.parse(execFileSync(args.python, peerArgs, { encoding: "utf8" }));
      return { wall: reply.medianPerSecond, cpu: reply.medianPerCpuSecond };
    },
  });
}

const rates = new Map<string, Rate[]>(contenders.map((c) => [c.name, []]));
for (let r = 0; r < Number(args.runs); r++) {
  for (const c of contenders) rates.get(c.name)?.push(await c.run());
}
for (const e of embedders) await e.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const wall = (xs: Rate[]) => median(xs.map((r) => r.wall));
const cpu = (xs: Rate[]) => median(xs.map((r) => r.cpu));
const perSecond = Object.fromEntries(
  [...rates].map(([name, xs]) => [
    name,
    {
      medianPerSecond: Math.round(wall(xs)),
      medianPerCpuSecond: Math.round(cpu(xs)),
      runs: xs.map((r) => Math.round(r.wall)),
    },
  ]),
);
const peer = rates.get("onnxruntime (Python) peer");
const versusPeer = peer
  ? Object.fromEntries(
      [...rates]
        .filter(([name]) => name.includes("/"))
        .map(([name, xs]) => [
          name,
          {
            wall: Number((wall(xs) / wall(peer)).toFixed(2)),
            cpu: Number((cpu(xs) / cpu(peer)).toFixed(2)),
          },
        ]),
    )
  : undefined;
console.log(
  JSON.stringify({ descriptions: texts.length, batch: batchSize, threads, perSecond, versusPeer }, null, 2),
);
