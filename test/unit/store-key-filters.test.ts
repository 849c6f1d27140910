import { describe, expect, it } from "vitest";
import type { TrackRow } from "../../src/domain/track.js";
import { createHashEmbedder } from "../../src/embed/embedder.js";
import { filterSql } from "../../src/store/sqlite/filters.js";
import { VECTOR_COLUMNS_SQL } from "../../src/store/sqlite/track-rows.js";
import type { Store, TrackFilters } from "../../src/store/store.js";
import { filledStore, TRACK_DEFAULTS } from "../helpers.js";

// 72 tracks: every key 0..11 with both modes, three meters.
const ROWS: TrackRow[] = Array.from({ length: 72 }, (_, i) => ({
  id: String(i + 1).padStart(22, "0"),
  name: `Song ${i + 1}`,
  artists: ["Artist"],
  artistIds: [],
  album: "Album",
  genres: [i % 2 === 0 ? "rock" : "jazz"],
  ...TRACK_DEFAULTS,
  key: i % 12,
  mode: Math.floor(i / 12) % 2,
  timeSignature: [3, 4, 5][i % 3] as number,
  popularity: i,
}));

const filled = (): Promise<Store> => filledStore(ROWS);

const A_MINOR_WALTZ: TrackFilters = {
  ranges: { key: { min: 9, max: 9 }, mode: { min: 0, max: 0 }, time_signature: { min: 3, max: 3 } },
};
const satisfies = (
  store: Store,
  rowids: number[],
  f: (t: { key: number; mode: number; ts: number }) => boolean,
) => store.getTracks(rowids).every((t) => f({ key: t.key, mode: t.mode, ts: t.timeSignature }));
const expected = ROWS.filter((r) => r.key === 9 && r.mode === 0 && r.timeSignature === 3).length;

describe("key and time signature filters", () => {
  it("are not vec0 columns: on the vec0 table they become a rowid subquery on tracks", () => {
    expect(VECTOR_COLUMNS_SQL).not.toMatch(/\bkey\b|time_signature/);
    const vec = filterSql({ ...A_MINOR_WALTZ, genres: ["rock"] }, "track_rowid");
    expect(vec.conditions).toEqual([
      "mode >= ?",
      "mode <= ?",
      expect.stringMatching(
        /^track_rowid IN \(SELECT rowid FROM tracks WHERE key >= \? AND key <= \? AND time_signature >= \? AND time_signature <= \? INTERSECT SELECT track_rowid FROM track_genres/,
      ),
    ]);
    expect(vec.params).toEqual([0n, 0n, 9n, 9n, 3n, 3n, '["rock"]']);
    const tracks = filterSql(A_MINOR_WALTZ, "rowid");
    expect(tracks.conditions).toContain("key >= ?");
    expect(tracks.conditions).toContain("time_signature <= ?");
  });

  it("hold for every row the KNN, listings, counts and profiles return", async () => {
    const store = await filled();
    expect(expected).toBeGreaterThan(0);
    const [q] = await createHashEmbedder(64).embed(["Song 9"], "query");
    const hits = store.knn(q as Float32Array, 50, A_MINOR_WALTZ).map((h) => h.rowid);
    expect(hits).toHaveLength(expected);
    const ok = (t: { key: number; mode: number; ts: number }) => t.key === 9 && t.mode === 0 && t.ts === 3;
    expect(satisfies(store, hits, ok)).toBe(true);
    const listed = store.filterOnly(50, A_MINOR_WALTZ);
    expect(listed).toHaveLength(expected);
    expect(satisfies(store, listed, ok)).toBe(true);
    const closest = store.closestTo(50, A_MINOR_WALTZ, [
      { field: "energy", value: 0.9, direction: "high", weight: 1, scale: 0.25 },
    ]);
    expect(closest).toHaveLength(expected);
    expect(satisfies(store, closest, ok)).toBe(true);
    expect(store.countMatching(A_MINOR_WALTZ)).toBe(expected);
    expect(store.profile(A_MINOR_WALTZ)?.count).toBe(expected);
  });

  it("combine with vec0 filters and sets, and a meter range keeps to it", async () => {
    const store = await filled();
    const [q] = await createHashEmbedder(64).embed(["Song"], "query");
    const odd: TrackFilters = {
      ranges: { time_signature: { min: 5, max: 7 }, popularity: { min: 30 } },
      genres: ["jazz"],
    };
    const hits = store.knn(q as Float32Array, 72, odd).map((h) => h.rowid);
    const want = ROWS.filter((r) => r.timeSignature >= 5 && r.popularity >= 30 && r.genres[0] === "jazz");
    expect(hits).toHaveLength(want.length);
    const tracks = store.getTracks(hits);
    expect(tracks.every((t) => t.timeSignature >= 5 && t.popularity >= 30 && t.genres.includes("jazz"))).toBe(
      true,
    );
    expect(store.countMatching({ ranges: { key: { min: 11, max: 11 } } })).toBe(6);
  });
});
