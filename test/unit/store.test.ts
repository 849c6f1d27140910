import { describe, expect, it } from "vitest";
import { createHashEmbedder } from "../../src/embed/embedder.js";
import { describePending, embedPending } from "../../src/ingest/pipeline.js";
import { mergeTrackRows, openStore } from "../../src/store/store.js";
import { filledStore, storeTrack } from "../helpers.js";

describe("store", () => {
  it("merges a repeated id: genres unioned, highest popularity kept", () => {
    const merged = mergeTrackRows(
      storeTrack("1", { genres: ["techno"], popularity: 40 }),
      storeTrack("1", { genres: ["minimal-techno"], popularity: 30 }),
    );
    expect(merged.genres).toEqual(["minimal-techno", "techno"]);
    expect(merged.popularity).toBe(40);
  });

  it("counts inserted, updated and unchanged rows, and a second identical upsert changes nothing", () => {
    const store = openStore(":memory:");
    expect(
      store.upsertTracks([storeTrack("1"), storeTrack("2"), storeTrack("1", { genres: ["punk"] })]),
    ).toEqual({
      inserted: 2,
      updated: 1,
      unchanged: 0,
    });
    expect(
      store.upsertTracks([storeTrack("1"), storeTrack("2"), storeTrack("1", { genres: ["punk"] })]),
    ).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 3,
    });
    expect(store.stats().tracks).toBe(2);
  });

  it("re-embeds only tracks whose description changed", async () => {
    const store = await filledStore([storeTrack("1"), storeTrack("2")]);
    const embedder = createHashEmbedder(64);
    expect(store.countPendingEmbeddings()).toBe(0);
    store.upsertTracks([storeTrack("2", { energy: 0.95 })]);
    expect(describePending(store)).toBe(1);
    expect(store.countPendingEmbeddings()).toBe(1);
    expect(await embedPending(store, embedder, 16)).toBe(1);
    expect(store.stats().embedded).toBe(2);
  });

  it("keeps the filter columns current when a change leaves the description as it was", async () => {
    const store = await filledStore([storeTrack("1", { popularity: 40 })]);
    store.upsertTracks([storeTrack("1", { popularity: 45 })]);
    describePending(store);
    expect(store.countPendingEmbeddings()).toBe(0);
    const vector = createHashEmbedder(64).embed;
    const [q] = await vector(["Song 1"], "query");
    expect(store.knn(q as Float32Array, 5, { ranges: { popularity: { min: 45 } } }).length).toBe(1);
    expect(store.knn(q as Float32Array, 5, { ranges: { popularity: { min: 46 } } }).length).toBe(0);
  });

  it("pushes every filter into the KNN so all k results satisfy them", async () => {
    const rows = Array.from({ length: 60 }, (_, i) =>
      storeTrack(String(i + 1), {
        tempo: 80 + i * 2,
        energy: (i % 10) / 10,
        explicit: i % 3 === 0,
        genres: [i % 2 ? "techno" : "jazz"],
        year: 1960 + i,
      }),
    );
    const store = await filledStore(rows);
    const [q] = await createHashEmbedder(64).embed(["song"], "query");
    const filters = {
      ranges: { tempo: { min: 120, max: 180 }, energy: { min: 0.3 }, year: { max: 2010 } },
      explicit: false,
      genres: ["techno"],
    };
    const passing = rows.filter(
      (r) =>
        r.tempo >= 120 &&
        r.tempo <= 180 &&
        r.energy >= 0.3 &&
        (r.year ?? 0) <= 2010 &&
        !r.explicit &&
        r.genres.includes("techno"),
    );
    // Fewer rows pass than k: a post-filter would return fewer still, a pushed-down filter returns them all.
    expect(passing.length).toBe(8);
    expect(store.knn(q as Float32Array, 30, filters).length).toBe(8);
    const hits = store.knn(q as Float32Array, 5, filters);
    expect(hits.length).toBe(5);
    for (const t of store.getTracks(hits.map((h) => h.rowid))) {
      expect(t.tempo).toBeGreaterThanOrEqual(120);
      expect(t.tempo).toBeLessThanOrEqual(180);
      expect(t.energy).toBeGreaterThanOrEqual(0.3);
      expect(t.year).toBeLessThanOrEqual(2010);
      expect(t.explicit).toBe(false);
      expect(t.allGenres).toContain("techno");
    }
  });

  it("never lets a year filter match tracks without a year", async () => {
    const store = await filledStore([storeTrack("1", { year: null }), storeTrack("2", { year: 1999 })]);
    const ids = store.filterOnly(10, { ranges: { year: { max: 2000 } } });
    expect(store.getTracks(ids).map((t) => t.year)).toEqual([1999]);
  });

  it("attaches artist genres to tracks whichever file comes first", () => {
    const artist = { id: "a".repeat(22), name: "A", followers: 1, popularity: 5, genres: ["shoegaze"] };
    const before = openStore(":memory:");
    before.upsertArtists([artist]);
    before.upsertTracks([storeTrack("1", { genres: [], artistIds: [artist.id] })]);
    describePending(before);
    const after = openStore(":memory:");
    after.upsertTracks([storeTrack("1", { genres: [], artistIds: [artist.id] })]);
    describePending(after);
    after.upsertArtists([artist]);
    expect(after.countDirty()).toBe(1);
    describePending(after);
    for (const store of [before, after]) {
      const [t] = store.getTracks([1]);
      expect(t?.allGenres).toEqual(["shoegaze"]);
      expect(t?.description).toContain("shoegaze");
      expect(store.genreLabels()).toEqual(["shoegaze"]);
    }
  });

  it("refuses vectors of another model with a message naming both", () => {
    const store = openStore(":memory:");
    store.useModel({ model: "m1", dims: 8 });
    expect(() => store.useModel({ model: "m2", dims: 16 })).toThrowError(/another embedding model/);
    try {
      store.useModel({ model: "m2", dims: 16 });
    } catch (e) {
      expect(e).toMatchObject({
        code: "MODEL_MISMATCH",
        expected: expect.stringContaining("m1"),
        got: expect.stringContaining("m2"),
      });
    }
    store.resetVectors({ model: "m2", dims: 16 });
    expect(store.modelInfo()).toEqual({ model: "m2", dims: 16 });
  });
});

describe("store filters on sets", () => {
  it("filters by artist names and by rowids inside the KNN", async () => {
    const store = await filledStore([
      storeTrack("1", { artists: ["Radiohead"] }),
      storeTrack("2", { artists: ["Thom Yorke", "Radiohead"] }),
      storeTrack("3", { artists: ["Muse"] }),
    ]);
    const [q] = await createHashEmbedder(64).embed(["song"], "query");
    const byArtist = store.knn(q as Float32Array, 10, { artists: ["radiohead"] });
    expect(byArtist.map((h) => h.rowid).sort()).toEqual([1, 2]);
    expect(store.countMatching({ artists: ["radiohead"] })).toBe(2);
    expect(store.countMatching({ artists: ["nobody"] })).toBe(0);
    expect(store.knn(q as Float32Array, 10, { rowids: [3] }).map((h) => h.rowid)).toEqual([3]);
    expect(store.findArtist("thom yorke")).toBe("Thom Yorke");
    expect(store.findArtist("thom")).toBeNull();
  });

  it("finds titles by their words", async () => {
    const store = await filledStore([
      storeTrack("1", { name: "Helena" }),
      storeTrack("2", { name: "Helena - Live" }),
      storeTrack("3", { name: "Numb" }),
    ]);
    expect(
      store
        .findTitles("helena", 10)
        .map((t) => t.rowid)
        .sort(),
    ).toEqual([1, 2]);
    expect(store.findTitles("nothing here", 10)).toEqual([]);
  });

  it("looks up many tracks by Spotify id at once, leaving out ids it does not hold", async () => {
    const store = await filledStore([storeTrack("1"), storeTrack("2"), storeTrack("3")]);
    const ids = ["3", "1", "9"].map((n) => n.padStart(22, "0"));
    const found = store.tracksByIds(ids);
    expect(found.map((t) => t.name).sort()).toEqual(["Song 1", "Song 3"]);
    expect(found.map((t) => t.rowid).sort()).toEqual(
      ids
        .slice(0, 2)
        .map((id) => store.trackById(id)?.rowid)
        .sort(),
    );
    expect(store.tracksByIds([])).toEqual([]);
  });
});

describe("store composition", () => {
  it("lends every part's methods as plain functions, usable detached", async () => {
    const store = await filledStore([storeTrack("1", { artists: ["Muse"] })]);
    const { stats, getTracks, knn, likes, addLikes, countDirty, conceptVectors } = store;
    expect(stats()).toMatchObject({ tracks: 1, embedded: 1 });
    expect(getTracks([1]).map((t) => t.rowid)).toEqual([1]);
    expect(knn(new Float32Array(64).fill(1), 5, {}).map((h) => h.rowid)).toEqual([1]);
    expect(addLikes("me", [{ rowid: 1, entry: "Muse" }])).toBe(1);
    expect(likes("me")).toEqual([1]);
    expect(countDirty()).toBe(0);
    expect(conceptVectors("none").size).toBe(0);
    store.optimize();
  });

  it("keeps concept vectors per model", () => {
    const store = openStore(":memory:");
    store.saveConceptVectors("m", new Map([["sad", new Float32Array([0.5, -1])]]));
    expect([...store.conceptVectors("m")]).toEqual([["sad", new Float32Array([0.5, -1])]]);
    expect(store.conceptVectors("other").size).toBe(0);
  });
});
