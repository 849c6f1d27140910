import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrackRow } from "../../src/domain/track.js";
import { createHashEmbedder, type Embedder } from "../../src/embed/embedder.js";
import { describePending, embedPending } from "../../src/ingest/pipeline.js";
import { check, scoreCandidates, shapeResults } from "../../src/rank/rank.js";
import { type PlannedResponse, plannedSearch } from "../../src/search/search.js";
import { openStore, type Store } from "../../src/store/store.js";

function row(id: string, over: Partial<TrackRow>): TrackRow {
  return {
    id: id.padStart(22, "0"),
    name: `Song ${id}`,
    artists: [`Artist ${id}`],
    artistIds: [],
    album: "Album",
    genres: ["techno"],
    releaseDate: null,
    year: null,
    popularity: 50,
    durationMs: 200_000,
    explicit: false,
    danceability: 0.6,
    energy: 0.8,
    key: 0,
    loudness: -7,
    mode: 1,
    speechiness: 0.05,
    acousticness: 0.05,
    instrumentalness: 0.6,
    liveness: 0.1,
    valence: 0.8,
    tempo: 120,
    timeSignature: 4,
    ...over,
  };
}

const TECHNO_FAMILY = ["techno", "detroit-techno", "minimal-techno"];

/**
 * 20 techno tracks, 10 jazz tracks. Only T1-T3 are very fast (>= 150 BPM) and sad (valence <= 0.35); T4-T5 are
 * sad but not fast; T1-T8 are techno at 100 BPM or more; T9-T20 are techno under 100 BPM; all jazz is under 100.
 */
const ROWS: TrackRow[] = [
  row("T1", { tempo: 160, valence: 0.1 }),
  row("T2", { tempo: 165, valence: 0.12, genres: ["detroit-techno"] }),
  row("T3", { tempo: 170, valence: 0.08 }),
  row("T4", { tempo: 100, valence: 0.2 }),
  row("T5", { tempo: 105, valence: 0.25, genres: ["minimal-techno"] }),
  row("T6", { tempo: 110, valence: 0.8 }),
  row("T7", { tempo: 115, valence: 0.7 }),
  row("T8", { tempo: 125, valence: 0.9, genres: ["detroit-techno"] }),
  // Four songs by one band, one of them sad, and all less popular than the happy ones.
  row("R1", { artists: ["Radiohead"], tempo: 90, valence: 0.1, popularity: 5, genres: ["alt-rock"] }),
  row("R2", { artists: ["Radiohead"], tempo: 90, valence: 0.9, popularity: 90, genres: ["alt-rock"] }),
  row("R3", { artists: ["Radiohead"], tempo: 90, valence: 0.85, popularity: 80, genres: ["alt-rock"] }),
  row("R4", { artists: ["Radiohead"], tempo: 90, valence: 0.8, popularity: 85, genres: ["alt-rock"] }),
  ...Array.from({ length: 12 }, (_, i) =>
    row(`T${i + 9}`, {
      tempo: 90 + i * 0.75,
      valence: 0.6 + i * 0.02,
      genres: [TECHNO_FAMILY[i % 3] as string],
    }),
  ),
  ...Array.from({ length: 10 }, (_, i) =>
    row(`J${i + 1}`, {
      tempo: 80 + i,
      valence: 0.5,
      energy: 0.3,
      genres: ["jazz"],
      acousticness: 0.8,
      instrumentalness: 0.2,
    }),
  ),
];

const FULL_MATCHES = ["Song T1", "Song T2", "Song T3"];

/** Relaxed words still rank: the tracks that meet them all come first. */
function expectFullMatchesFirst(results: ReadonlyArray<{ name: string }>): void {
  expect(
    results
      .slice(0, 3)
      .map((r) => r.name)
      .sort(),
  ).toEqual(FULL_MATCHES);
}

let store: Store;
let embedder: Embedder;

beforeAll(async () => {
  store = openStore(":memory:");
  embedder = createHashEmbedder(64);
  store.useModel({ model: embedder.model, dims: embedder.dims });
  store.upsertTracks(ROWS);
  describePending(store);
  await embedPending(store, embedder, 16);
});

afterAll(() => store.close());

function expectHardConstraintsMet(res: PlannedResponse): void {
  const hard = res.plan.constraints.filter((c) => c.hard);
  expect(hard.length).toBeGreaterThan(0);
  const all = new Map(store.getTracks(store.filterOnly(100, {})).map((t) => [t.id, t]));
  expect(all.size).toBe(ROWS.length);
  for (const r of res.results) {
    const track = all.get(r.id);
    expect(track, r.id).toBeDefined();
    if (!track) continue;
    for (const c of hard) expect(check(c, track).met, `${r.name}: ${c.label}`).toBe(true);
  }
}

describe("plannedSearch relaxation (hash embedder, no model)", () => {
  it("the store holds what the test expects", () => {
    expect(store.stats()).toMatchObject({ tracks: 34, embedded: 34 });
    expect(store.genreLabels()).toEqual(expect.arrayContaining([...TECHNO_FAMILY, "jazz"]));
  });

  it("nothing is relaxed when enough tracks meet every hard constraint", async () => {
    const res = await plannedSearch(store, embedder, { text: "techno", filters: {}, limit: 10 });
    expect(res.results).toHaveLength(10);
    expect(res.plan.notes.some((n) => /relaxed/.test(n))).toBe(false);
    expect(res.plan.constraints.some((c) => c.relaxed)).toBe(false);
    for (const r of res.results) expect(r.genres.some((g) => TECHNO_FAMILY.includes(g))).toBe(true);
  });

  it("very fast sad techno: relaxes the weakest words until 10 results, keeps the genre", async () => {
    const res = await plannedSearch(store, embedder, {
      text: "very fast sad techno",
      filters: {},
      limit: 10,
    });
    const { plan, results } = res;
    expect(results).toHaveLength(10);
    expect(plan.notes.some((n) => /relaxed/.test(n))).toBe(true);

    const relaxed = plan.constraints.filter((c) => c.relaxed);
    expect(relaxed.length).toBeGreaterThan(0);
    for (const c of relaxed) {
      expect(c.hard).toBe(false);
      expect(plan.notes.some((n) => n.includes(c.label))).toBe(true);
    }
    // Both words were needed: only 3 tracks are fast and sad, 5 are sad.
    const tempo = plan.constraints.find((c) => c.type === "range" && c.field === "tempo");
    const valence = plan.constraints.find((c) => c.type === "range" && c.field === "valence");
    expect(tempo).toMatchObject({ relaxed: true, hard: false });
    expect(valence).toMatchObject({ relaxed: true, hard: false });
    // The genre outranks mood words in relaxation order: it stays hard, so every result is techno.
    const genre = plan.constraints.find((c) => c.type === "genre");
    expect(genre).toMatchObject({ hard: true });
    expect(genre?.relaxed).toBeFalsy();
    for (const r of results) expect(r.genres.some((g) => TECHNO_FAMILY.includes(g))).toBe(true);
    expectHardConstraintsMet(res);
    expectFullMatchesFirst(results);
    expect(results[0]?.why.misses).toEqual([]);
  });

  it("an option filter is never relaxed, even when that leaves fewer results than asked", async () => {
    const res = await plannedSearch(store, embedder, {
      text: "very fast sad techno",
      filters: { ranges: { tempo: { min: 100 } } },
      limit: 10,
    });
    const { plan, results } = res;
    const option = plan.constraints.find((c) => c.source.kind === "option");
    expect(option).toMatchObject({ type: "range", field: "tempo", min: 100, hard: true, priority: 100 });
    expect(option?.relaxed).toBeFalsy();
    expect(plan.notes.some((n) => /relaxed/.test(n))).toBe(true);
    // Only 8 tracks in the store have tempo >= 100; relaxing the option would have filled 10.
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(8);
    for (const r of results) expect(r.features.tempo).toBeGreaterThanOrEqual(100);
    expectHardConstraintsMet(res);
    expectFullMatchesFirst(results);
  });

  it("an option genre is never relaxed either", async () => {
    // 12 asked, 10 jazz tracks: relaxing the option would fill the list with techno.
    const res = await plannedSearch(store, embedder, {
      text: "very fast sad music",
      filters: { genres: ["jazz"] },
      limit: 12,
    });
    expect(res.plan.notes.some((n) => /relaxed/.test(n))).toBe(true);
    expect(res.results).toHaveLength(10);
    for (const r of res.results) expect(r.genres).toContain("jazz");
    const option = res.plan.constraints.find((c) => c.source.kind === "option");
    expect(option).toMatchObject({ type: "genre", hard: true });
    expect(option?.relaxed).toBeFalsy();
    expectHardConstraintsMet(res);
  });

  it("a named artist is never relaxed: fewer results with a note, never other artists", async () => {
    const res = await plannedSearch(store, embedder, { text: "tracks by Radiohead", filters: {}, limit: 10 });
    expect(res.results.map((r) => r.name).sort()).toEqual(["Song R1", "Song R2", "Song R3", "Song R4"]);
    const artist = res.plan.constraints.find((c) => c.type === "artist");
    expect(artist).toMatchObject({ hard: true });
    expect(artist?.relaxed).toBeFalsy();
    expect(res.plan.notes.some((n) => /only 4 tracks by Radiohead/.test(n))).toBe(true);
  });

  it("after relaxing, the tracks that meet the relaxed constraint still rank first", async () => {
    // Only R1 is sad; relaxing "sad" lets the three popular happy songs in, below it.
    const res = await plannedSearch(store, embedder, {
      text: "sad songs by Radiohead",
      filters: {},
      limit: 4,
    });
    const sad = res.plan.constraints.find((c) => c.type === "range" && c.field === "valence");
    expect(sad).toMatchObject({ relaxed: true, hard: false });
    expect(res.results).toHaveLength(4);
    expect(res.results[0]?.name).toBe("Song R1");
    expect(res.results[0]?.why.misses).toEqual([]);
  });

  it("shaping orders by relaxed constraints met before the score", async () => {
    const res = await plannedSearch(store, embedder, {
      text: "sad songs by Radiohead",
      filters: {},
      limit: 4,
    });
    const planned = res.plan;
    const tracks = store.getTracks(store.filterOnly(100, {}));
    const scored = scoreCandidates(
      planned,
      tracks.filter((t) => t.artists.includes("Radiohead")).map((track) => ({ track, similarity: null })),
    );
    // Give the sad song the lowest score: it must still come first, since it alone fits the relaxed "sad".
    const lowered = scored.map((x) => (x.track.name === "Song R1" ? { ...x, score: 0 } : x));
    const fits = lowered.map((x) => x.relaxedFit);
    expect(lowered.find((x) => x.track.name === "Song R1")?.relaxedFit).toBe(Math.max(...fits));
    expect(shapeResults(lowered, planned, 4)[0]?.track.name).toBe("Song R1");
  });
});
