import { describe, expect, it } from "vitest";
import { type PlanContext, planQuery, type QueryPlan, type RangeConstraint } from "../../src/query/plan.js";
import { camelotCode, camelotNeighbours } from "../../src/query/stages/harmonic.js";
import { CAMELOT, PITCH_NAMES } from "../../src/query/vocabulary/keys.js";
import type { StoredTrack } from "../../src/store/store.js";

const ctx: PlanContext = {
  genreLabels: ["techno", "pop", "rock", "classical", "jazz"],
  hasYears: true,
  findArtist: () => null,
  findTitles: () => [],
  artistTracks: () => [],
  profile: () => null,
};

const plan = (q: string) => planQuery(q, ctx);
const ranges = (p: QueryPlan) =>
  p.constraints.filter((c): c is RangeConstraint => c.type === "range" && c.source.kind === "word");
const on = (p: QueryPlan, field: string) => ranges(p).filter((c) => c.field === field);

function expectKey(p: QueryPlan, key: number, mode: number, label: string): void {
  const [k] = on(p, "key");
  expect(on(p, "key")).toHaveLength(1);
  expect(k).toMatchObject({ min: key, max: key, hard: true, label, id: "key-band" });
  expect(on(p, "mode")).toEqual([
    expect.objectContaining({ min: mode, max: mode, hard: true, id: "mode-band" }),
  ]);
}

describe("planQuery: keys", () => {
  it.each([
    ["songs in A minor", 9, 0, "key A minor"],
    ["F# major pop", 6, 1, "key F# major"],
    ["songs in C sharp minor", 1, 0, "key C# minor"],
    ["Bb major jazz", 10, 1, "key A# major"],
    ["something in E flat minor", 3, 0, "key D# minor"],
    ["in the key of D major", 2, 1, "key D major"],
    ["tracks in C major", 0, 1, "key C major"],
    ["songs in a minor", 9, 0, "key A minor"],
  ])("%s -> key %i, mode %i", async (q, key, mode, label) => {
    const p = await plan(q);
    expectKey(p, key, mode, label);
    // "minor"/"major" are taken: no second mode constraint from the word table.
    expect(p.constraints.filter((c) => c.type === "range" && c.field === "mode")).toHaveLength(1);
  });

  it("Am only with a music cue: 'in Am' is A minor, 'I am' and a bare 'Am' are not", async () => {
    expectKey(await plan("chill songs in Am"), 9, 0, "key A minor");
    expectKey(await plan("key of F#m please"), 6, 0, "key F# minor");
    for (const q of ["songs I am into", "Am I dreaming", "songs in am radio style"]) {
      expect(on(await plan(q), "key")).toEqual([]);
    }
  });

  it("'a minor key' and 'a major label' keep their old meaning", async () => {
    const minorKey = await plan("loud rock in a minor key");
    expect(on(minorKey, "key")).toEqual([]);
    expect(minorKey.constraints).toContainEqual(
      expect.objectContaining({ field: "mode", max: 0, label: "minor key" }),
    );
    expect(on(await plan("songs on a major label"), "key")).toEqual([]);
    expect(on(await plan("in a major city at night"), "key")).toEqual([]);
  });

  it("Camelot codes, from the wheel's table", async () => {
    expectKey(await plan("techno in 8A"), 9, 0, "key A minor (8A)");
    expectKey(await plan("8B house"), 0, 1, "key C major (8B)");
    expectKey(await plan("songs in 11a"), 6, 0, "key F# minor (11A)");
    // The table: 24 codes, each key and mode exactly once.
    expect(Object.keys(CAMELOT)).toHaveLength(24);
    expect(new Set(Object.values(CAMELOT).map((e) => `${e.key}/${e.mode}`)).size).toBe(24);
    // Neighbours a fifth apart: one step on the wheel is +7 semitones.
    for (let n = 1; n <= 12; n++) {
      const next = (n % 12) + 1;
      for (const side of ["A", "B"]) {
        expect(CAMELOT[`${next}${side}`]?.key).toBe(((CAMELOT[`${n}${side}`]?.key ?? 0) + 7) % 12);
      }
      // A and B of one number are relative keys: the major is 3 semitones above the minor.
      expect(CAMELOT[`${n}B`]?.key).toBe(((CAMELOT[`${n}A`]?.key ?? 0) + 3) % 12);
    }
    // Anchors from the published wheel.
    const named = (code: string) => `${PITCH_NAMES[CAMELOT[code]?.key ?? -1]} ${CAMELOT[code]?.mode}`;
    expect(["1A", "5A", "8A", "11A", "1B", "8B", "12B"].map(named)).toEqual([
      "G# 0",
      "C 0",
      "A 0",
      "F# 0",
      "B 1",
      "C 1",
      "E 1",
    ]);
  });

  it("two keys only score: together they would match nothing", async () => {
    const p = await plan("songs in A minor or E minor");
    expect(on(p, "key").map((c) => [c.min, c.hard])).toEqual([
      [9, false],
      [4, false],
    ]);
  });
});

describe("planQuery: meter", () => {
  it.each([
    ["songs in 3/4 time", 3, "3/4 time"],
    ["folk in 6/8", 3, "3/4 time"],
    ["rock in 4/4", 4, "4/4 time"],
    ["5/4 jazz", 5, "5/4 time"],
    ["waltzes", 3, "3/4 time"],
    ["a slow waltz", 3, "3/4 time"],
  ])("%s -> time_signature %i", async (q, beats, label) => {
    const p = await plan(q);
    expect(on(p, "time_signature")).toEqual([
      expect.objectContaining({ min: beats, max: beats, label, hard: true, id: "time-signature-band" }),
    ]);
    // Not read as a number: no length or year from "3 4".
    expect(p.constraints.filter((c) => c.type === "range" && c.source.kind === "number")).toEqual([]);
  });

  it("odd meter -> 5..7 beats per bar", async () => {
    const p = await plan("prog rock in odd time signatures");
    expect(on(p, "time_signature")).toEqual([
      expect.objectContaining({ min: 5, max: 7, label: "odd meter (5-7 beats per bar)" }),
    ]);
  });

  it("fractions not in the table are left alone", async () => {
    expect(on(await plan("rated 9/10 songs"), "time_signature")).toEqual([]);
  });
});

describe("planQuery: numbers and words that are no keys", () => {
  it.each(["songs from 3 years ago", "top 10 songs", "8 songs", "a song in 2 minutes", "best of 2010"])(
    "%s has no key, mode or meter",
    async (q) => {
      const p = await plan(q);
      expect(ranges(p).filter((c) => ["key", "mode", "time_signature"].includes(c.field))).toEqual([]);
    },
  );

  it("happy songs in a major key: still the word table's major key", async () => {
    const p = await plan("happy songs in a major key");
    expect(on(p, "key")).toEqual([]);
    expect(p.constraints).toContainEqual(
      expect.objectContaining({ field: "mode", min: 1, label: "major key" }),
    );
  });
});

describe("planQuery: harmonic with a track (Camelot neighbours)", () => {
  const creep = {
    rowid: 1,
    name: "Creep",
    artists: ["Radiohead"],
    key: 7,
    mode: 1,
  } as unknown as StoredTrack;
  const withCreep: PlanContext = {
    ...ctx,
    findArtist: (n) => (n === "radiohead" ? "Radiohead" : null),
    findTitles: (t) => (t.startsWith("creep") ? [creep] : []),
  };

  it("neighbours: the same code, one step either way, the relative major/minor (wrapping 12 -> 1)", () => {
    expect(camelotNeighbours("9B")).toEqual(["9B", "8B", "10B", "9A"]);
    expect(camelotNeighbours("12A")).toEqual(["12A", "11A", "1A", "12B"]);
    expect(camelotNeighbours("1A")).toEqual(["1A", "12A", "2A", "1B"]);
    expect(camelotCode(9, 0)).toBe("8A");
    expect(camelotCode(-1, 1)).toBeNull();
  });

  it("songs harmonic with Creep by Radiohead: Creep's neighbours, hard; Creep left out; no artist filter", async () => {
    const p = await planQuery("songs harmonic with Creep by Radiohead", withCreep);
    const keys = p.constraints.find((c) => c.type === "keys");
    expect(keys).toMatchObject({ hard: true, source: { kind: "reference" } });
    // Creep is G major, 9B: 8B C major, 10B D major, 9A E minor.
    expect(keys?.type === "keys" ? keys.pairs : []).toEqual([
      { key: 7, mode: 1 },
      { key: 0, mode: 1 },
      { key: 2, mode: 1 },
      { key: 4, mode: 0 },
    ]);
    expect(p.constraints.some((c) => c.type === "not_song")).toBe(true);
    expect(p.constraints.some((c) => c.type === "artist")).toBe(false);
    expect(p.notes.join("\n")).toMatch(/Camelot 9B/);
    expect(p.semanticText).toBe("songs");
  });

  it("a track the catalog lacks leaves the words alone", async () => {
    const p = await planQuery("songs harmonic with Nothing Known", withCreep);
    expect(p.constraints.some((c) => c.type === "keys")).toBe(false);
  });
});
