import { existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHashEmbedder } from "../../src/embed/embedder.js";
import { describePending, embedPending } from "../../src/ingest/pipeline.js";
import { openStore, type Store, type TrackFilters } from "../../src/store/store.js";
import { filledStore, storeTrack, tempDir } from "../helpers.js";

const DIMS = 64;
const GENRES = ["rock", "jazz", "techno", "folk", "metal"];

/** 400 tracks with spread features, five genres and twenty artists: filters of every selectivity. */
function catalog(n = 400, offset = 0) {
  let seed = 7 + offset;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: n }, (_, j) => {
    const i = j + offset;
    return storeTrack(`t${i}`, {
      name: `${["Night", "Sun", "Rain", "Fire", "Blue"][i % 5]} ${["drive", "dance", "song", "dream"][i % 4]} ${i}`,
      artists: [`Artist ${i % 20}`],
      genres: [GENRES[i % GENRES.length] as string],
      energy: +rand().toFixed(3),
      tempo: +(60 + rand() * 140).toFixed(1),
      popularity: Math.floor(rand() * 100),
      explicit: rand() < 0.2,
    });
  });
}

const QUERIES = ["night drive", "rain song", "sun dance dream", "blue fire", "jazz", "metal night"];
const FILTERS: TrackFilters[] = [
  {},
  { ranges: { energy: { min: 0.3 } } },
  { ranges: { energy: { min: 0.5 }, tempo: { max: 120 } } },
  { genres: ["jazz", "techno"] },
  { artists: ["artist 3", "artist 7"] },
  { explicit: true },
  { rowids: [1, 5, 9, 200, 300] },
  { ranges: { popularity: { min: 101 } } },
];

const embedder = createHashEmbedder(DIMS);
const query = async (text: string) => (await embedder.embed([text], "query"))[0] as Float32Array;

let open: Store[] = [];
afterEach(() => {
  for (const s of open) s.close();
  open = [];
});

/** The index answers every filter, however selective (until it has returned every vector). */
const INDEX_ONLY = { minVectors: 0, fetchMax: Number.MAX_SAFE_INTEGER, scanMax: 0 };

/** A database file filled with the catalog, opened with the index in use for every filter. */
async function indexed(path: string): Promise<Store> {
  const store = await filledStore(catalog(), DIMS, 64, { path, options: { vectorSearch: INDEX_ONLY } });
  open.push(store);
  return store;
}

function reopen(path: string, options: Parameters<typeof openStore>[1]): Store {
  const store = openStore(path, options);
  open.push(store);
  return store;
}

/** Whether the exact scan's rank i has a distance no neighbouring rank shares (the lexical vectors tie often). */
function untied(hits: ReadonlyArray<{ distance: number }>, i: number): boolean {
  const d = hits[i]?.distance ?? Number.NaN;
  const near = (j: number) => Math.abs((hits[j]?.distance ?? Number.POSITIVE_INFINITY) - d) < 1e-6;
  return !near(i - 1) && !near(i + 1);
}

/**
 * The same tracks in the same order as the exact scan, up to ties: at every rank the distance is the exact scan's
 * and the track is one the filters admit; at every untied rank it is the very same track.
 */
async function expectSameAsExact(store: Store, exact: Store, k = 10): Promise<void> {
  let untiedRanks = 0;
  for (const text of QUERIES) {
    const v = await query(text);
    for (const filters of FILTERS) {
      const label = `${text} ${JSON.stringify(filters)}`;
      // One more than k: a tie at rank k-1 may be with the first track left out.
      const want = exact.knn(v, k + 1, filters);
      const got = store.knn(v, k, filters);
      expect(got.length, label).toBe(Math.min(k, want.length));
      const admitted = new Set(exact.knn(v, 4096, filters).map((h) => h.rowid));
      got.forEach((hit, i) => {
        expect(hit.distance, label).toBeCloseTo(want[i]?.distance ?? Number.NaN, 5);
        expect(admitted.has(hit.rowid), label).toBe(true);
        if (untied(want, i)) {
          expect(hit.rowid, `${label} rank ${i}`).toBe(want[i]?.rowid);
          untiedRanks++;
        }
      });
    }
  }
  expect(untiedRanks).toBeGreaterThan(QUERIES.length * FILTERS.length);
}

/**
 * Through the HNSW index, which is approximate: every hit is one the filters admit, at its exact distance (rescored
 * with the stored vectors), in order; and nearly all of the exact top k are found (a hit counts when it is as near
 * as the exact k-th, so ties count).
 */
async function expectNearExact(store: Store, exact: Store, k = 10): Promise<void> {
  let found = 0;
  let wanted = 0;
  for (const text of QUERIES) {
    const v = await query(text);
    for (const filters of FILTERS) {
      const label = `${text} ${JSON.stringify(filters)}`;
      const want = exact.knn(v, k, filters);
      const got = store.knn(v, k, filters);
      expect(got.length, label).toBe(want.length);
      const admitted = new Map(exact.knn(v, 4096, filters).map((h) => [h.rowid, h.distance]));
      got.forEach((hit, i) => {
        expect(admitted.has(hit.rowid), label).toBe(true);
        expect(hit.distance, label).toBeCloseTo(admitted.get(hit.rowid) ?? Number.NaN, 5);
        if (i > 0) expect(hit.distance, label).toBeGreaterThanOrEqual((got[i - 1]?.distance ?? 0) - 1e-9);
      });
      const kth = want[want.length - 1]?.distance ?? Number.POSITIVE_INFINITY;
      found += got.filter((h) => h.distance <= kth + 1e-6).length;
      wanted += want.length;
    }
  }
  expect(found / wanted).toBeGreaterThanOrEqual(0.9);
}

describe("indexed vector search", () => {
  it("keeps the exact scan for a catalog under the size that needs an index, and says so", async () => {
    const store = await filledStore(catalog(50));
    open.push(store);
    expect(store.syncIndex?.().mode).toBe("exact");
    expect(store.indexState?.().reason).toMatch(/50 vectors, under 20000/);
  });

  it("answers as the exact scan does, filters included: nearly so through the index, exactly through selective scans", async () => {
    const dir = tempDir();
    const path = join(dir, "a.db");
    const store = await indexed(path);
    expect(store.indexState?.().mode).toBe("exact");
    const state = store.syncIndex?.();
    expect(state).toMatchObject({ mode: "hnsw", vectors: 400, file: `${path}.hnsw` });
    expect(existsSync(`${path}.hnsw`)).toBe(true);
    const exact = reopen(path, { vectorSearch: { useIndex: false } });
    expect(exact.indexState?.().mode).toBe("exact");
    await expectNearExact(store, exact);
    // Every filter whose first candidates are too few is selective: the admitted rows' vectors are scanned.
    const scanning = reopen(path, { vectorSearch: { minVectors: 0, fetchMax: 0, scanMax: 1000 } });
    expect(scanning.indexState?.().mode).toBe("hnsw");
    // Filters whose candidates mostly pass still go through the index: near the exact answer, not always it.
    await expectNearExact(scanning, exact);
    // Large k: the index is asked again with a larger k until enough candidates pass the filter.
    await expectNearExact(store, exact, 150);
  });

  it("finds the index stale after any vector write, searches exactly meanwhile, and rebuilds at sync", async () => {
    const dir = tempDir();
    const path = join(dir, "a.db");
    const store = await indexed(path);
    store.syncIndex?.();
    const generation = store.indexState?.().generation ?? 0;
    store.upsertTracks(catalog(30, 400));
    describePending(store);
    await embedPending(store, embedder, 64);
    const stale = store.indexState?.();
    expect(stale?.mode).toBe("exact");
    expect(stale?.reason).toContain(`index of vector generation ${generation}, database at generation`);
    const exact = reopen(path, { vectorSearch: { useIndex: false } });
    await expectSameAsExact(store, exact);
    // A reader opened now sees the stale file too.
    const reader = reopen(path, { readonly: true, vectorSearch: INDEX_ONLY });
    expect(reader.indexState?.().mode).toBe("exact");
    expect(store.syncIndex?.()).toMatchObject({ mode: "hnsw", vectors: 430 });
    expect(reader.indexState?.().mode).toBe("hnsw");
    await expectNearExact(reader, exact);
  });

  it("refuses an index file that does not match its header or the database's model", async () => {
    const dir = tempDir();
    const path = join(dir, "a.db");
    (await indexed(path)).syncIndex?.();
    const header = JSON.parse(readFileSync(`${path}.hnsw.json`, "utf8"));
    writeFileSync(`${path}.hnsw.json`, JSON.stringify({ ...header, model: "other-model" }));
    const options = { vectorSearch: INDEX_ONLY };
    expect(reopen(path, options).indexState?.().reason).toMatch(/index of other-model/);
    writeFileSync(`${path}.hnsw.json`, JSON.stringify(header));
    expect(reopen(path, options).indexState?.().mode).toBe("hnsw");
    truncateSync(`${path}.hnsw`, 100);
    expect(reopen(path, options).indexState?.().reason).toMatch(/no index file/);
  });

  it("keeps an in-memory database's index in memory", async () => {
    const store = await filledStore(catalog(), DIMS, 64, {
      options: { vectorSearch: INDEX_ONLY },
    });
    open.push(store);
    expect(store.syncIndex?.()).toMatchObject({ mode: "hnsw", file: null });
    const v = await query("night drive");
    const hits = store.knn(v, 5, { genres: ["jazz"] });
    expect(hits).toHaveLength(5);
    expect(store.getTracks(hits.map((h) => h.rowid)).every((t) => t.genres.includes("jazz"))).toBe(true);
  });

  it("bumps the generation on every vector write, and a model reset empties the vectors", async () => {
    const store = await filledStore(catalog(20));
    open.push(store);
    const before = store.indexState?.().generation ?? 0;
    expect(before).toBeGreaterThan(0);
    store.resetVectors({ model: "other", dims: DIMS });
    expect(store.indexState?.()).toMatchObject({ vectors: 0, generation: before + 1 });
    expect(store.vectorsOf([1]).has(1)).toBe(false);
  });
});
