/**
 * A ~700K BENCHMARK catalog for the search benchmark: a copy of a real, ingested 114K database plus the synthetic
 * 600K catalog (../shared/tools/synth600k.py) ingested through the real pipeline, except that the synthetic
 * tracks' vectors are not MiniLM's (embedding 600K descriptions takes hours here): each is the stored vector of a
 * real track picked by a hash of the description, plus Gaussian noise (sigma 0.023 per dimension, cosine about 0.9
 * to the original), renormalized. For speed and scale only: these vectors say nothing about the synthetic tracks.
 *
 *   node --import tsx bench/scale-db.ts --base 114k.db --synth DIR --out 700k.db
 *
 * DIR holds synthetic_600k_tracks.csv.gz and synthetic_600k_artists.csv.gz. The ANN index is built at the end of
 * the ingest, as for any ingest; its time is printed.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import type { Embedder } from "../src/embed/types.js";
import { ingest } from "../src/ingest/pipeline.js";
import { openStore, type Store } from "../src/store/store.js";

const { values: args } = parseArgs({
  options: { base: { type: "string" }, synth: { type: "string" }, out: { type: "string" } },
});
if (!args.base || !args.synth || !args.out) {
  console.error("usage: node --import tsx bench/scale-db.ts --base 114k.db --synth DIR --out 700k.db");
  process.exit(2);
}
if (existsSync(args.out)) throw new Error(`${args.out} exists; remove it first`);

const NOISE_SIGMA = 0.023;

/** Every stored vector of the base database, in rowid order. */
function baseVectors(store: Store): Float32Array[] {
  const out: Float32Array[] = [];
  for (let page = store.vectorPage(0, 5000); ; page = store.vectorPage(page.next as number, 5000)) {
    for (const item of page.items) out.push(item.vector);
    if (page.next === null) break;
  }
  return out;
}

/** Deterministic Gaussian noise from a seed (Box-Muller over a small LCG). */
function noise(seed: number, dims: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  const out = new Float32Array(dims);
  for (let i = 0; i < dims; i++) {
    out[i] = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()) * NOISE_SIGMA;
  }
  return out;
}

function derivedEmbedder(model: string, dims: number, base: Float32Array[]): Embedder {
  return {
    model,
    dims,
    async embed(texts) {
      return texts.map((text) => {
        const h = createHash("sha1").update(text).digest();
        const original = base[h.readUInt32LE(0) % base.length] as Float32Array;
        const v = noise(h.readUInt32LE(4), dims);
        let norm = 0;
        for (let i = 0; i < dims; i++) {
          v[i] = (v[i] as number) + (original[i] as number);
          norm += (v[i] as number) ** 2;
        }
        const scale = 1 / Math.sqrt(norm);
        for (let i = 0; i < dims; i++) v[i] = (v[i] as number) * scale;
        return v;
      });
    },
    async close() {},
  };
}

// The online backup copies what the base's WAL holds too.
const source = new Database(args.base, { readonly: true });
await source.backup(args.out);
source.close();
const store = openStore(args.out);
const model = store.modelInfo();
if (!model) throw new Error(`${args.base} has no vectors`);
const embedder = derivedEmbedder(model.model, model.dims, baseVectors(store));
const started = performance.now();
const phases = new Map<string, number>();
const summary = await ingest({
  files: [
    join(args.synth, "synthetic_600k_artists.csv.gz"),
    join(args.synth, "synthetic_600k_tracks.csv.gz"),
  ],
  store,
  embedder,
  rejectsPath: `${args.out}.rejects.jsonl`,
  progress: (e) => {
    if (!phases.has(e.phase)) {
      phases.set(e.phase, performance.now());
      console.error(`${e.phase} from ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  },
});
const indexFrom = phases.get("index");
console.log(
  JSON.stringify({
    out: args.out,
    tracks: store.stats().tracks,
    embedded: summary.embedded,
    ingestS: +(((indexFrom ?? performance.now()) - started) / 1000).toFixed(0),
    indexBuildS: indexFrom ? +((performance.now() - indexFrom) / 1000).toFixed(0) : null,
    index: store.indexState?.(),
  }),
);
store.close();
