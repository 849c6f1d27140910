import { describe, expect, it } from "vitest";
import { type PlanContext, planQuery, type QueryPlan, type RangeConstraint } from "../../src/query/plan.js";
import type { FeatureProfile, StoredTrack } from "../../src/store/store.js";
import { storeTrack } from "../helpers.js";

const asStored = (rowid: number, over: Parameters<typeof storeTrack>[1]): StoredTrack =>
  ({
    ...storeTrack(String(rowid), over),
    rowid,
    allGenres: over?.genres ?? ["alt-rock"],
  }) as unknown as StoredTrack;

const CREEP = asStored(1, { name: "Creep", artists: ["Radiohead"], valence: 0.1, tempo: 92, energy: 0.43 });
const NUMB = asStored(2, { name: "Numb", artists: ["Linkin Park"], valence: 0.24, tempo: 110, energy: 0.86 });

/** Percentiles where every field's median is known: energy 0.7, tempo 125, valence 0.5. */
const PROFILE = {
  count: 100,
  percentiles: {
    valence: [0.1, 0.3, 0.5, 0.7, 0.9],
    energy: [0.1, 0.5, 0.7, 0.8, 0.9],
    tempo: [80, 110, 125, 130, 140],
    danceability: [0, 0.4, 0.6, 0.7, 0.9],
    acousticness: [0, 0, 0.1, 0.2, 0.5],
    loudness: [-20, -10, -7, -5, -3],
    duration_ms: [100_000, 180_000, 220_000, 260_000, 400_000],
  },
} as unknown as FeatureProfile;

function context(liked: StoredTrack[] = []): PlanContext {
  const tracks = [CREEP, NUMB];
  return {
    genreLabels: ["alt-rock", "techno", "rock"],
    hasYears: true,
    findArtist: (n) => tracks.flatMap((t) => t.artists).find((a) => a.toLowerCase() === n) ?? null,
    findTitles: (title) => tracks.filter((t) => t.name.toLowerCase().startsWith(title)),
    artistTracks: (n) => tracks.filter((t) => t.artists.some((a) => a.toLowerCase() === n)),
    profile: () => PROFILE,
    liked: liked.length > 0 ? { tracks: liked, from: "likes.txt" } : null,
    versionsOf: (rowids) => [...rowids],
  };
}

const on = (p: QueryPlan, field: string) =>
  p.constraints.filter((c): c is RangeConstraint => c.type === "range" && c.field === field);

describe("planQuery: comparatives move the target past an anchor", () => {
  it("happier than Creep: valence above Creep's, which becomes the reference (not an artist filter)", async () => {
    const p = await planQuery("happier songs than Creep by Radiohead", context());
    expect(p.reference).toMatchObject({ kind: "track", name: "Creep" });
    expect(p.constraints.some((c) => c.type === "artist" && !c.exclude)).toBe(false);
    const valence = on(p, "valence");
    expect(valence).toHaveLength(1);
    expect(valence[0]).toMatchObject({
      min: 0.2,
      hard: true,
      source: { kind: "comparative", text: "happier" },
    });
    expect(valence[0]?.ideal).toBeGreaterThan(0.2);
    expect(p.notes.join("\n")).toMatch(/"happier": valence above Creep by Radiohead \(0\.1\).*comparative/);
  });

  it("like Numb but faster: tempo above Numb's, the reference's own tempo band gives way", async () => {
    const p = await planQuery("songs like Numb by Linkin Park but faster", context());
    expect(on(p, "tempo")).toEqual([
      expect.objectContaining({ min: 118, source: expect.objectContaining({ kind: "comparative" }) }),
    ]);
    // The other bands of the reference stay.
    expect(on(p, "energy")[0]?.source.kind).toBe("reference");
  });

  it("more like my liked songs but calmer: energy below the likes' median", async () => {
    const liked = [asStored(3, { energy: 0.8 }), asStored(4, { energy: 0.6 }), asStored(5, { energy: 0.9 })];
    const p = await planQuery("more like my liked songs but calmer", context(liked));
    expect(p.personal?.mode).toBe("taste");
    expect(on(p, "energy")).toEqual([expect.objectContaining({ max: 0.7, hard: true })]);
    expect(p.notes.join("\n")).toMatch(/your likes \(median of 3\)/);
  });

  it("with neither, relative to the catalog's median for the genre asked; 'more'/'less' + a feature word too", async () => {
    const calmer = await planQuery("calmer techno", context());
    expect(on(calmer, "energy")).toEqual([expect.objectContaining({ max: 0.6 })]);
    expect(calmer.notes.join("\n")).toMatch(/median for techno/);
    const more = await planQuery("more energetic rock", context());
    expect(on(more, "energy")).toEqual([expect.objectContaining({ min: 0.8 })]);
    const less = await planQuery("less danceable rock", context());
    expect(on(less, "danceability")).toEqual([expect.objectContaining({ max: 0.52 })]);
  });

  it("'faster than 120 bpm' and 'longer than 5 minutes' stay numbers", async () => {
    const p = await planQuery("tracks faster than 120 bpm", context());
    expect(on(p, "tempo")).toEqual([
      expect.objectContaining({ min: 120, source: expect.objectContaining({ kind: "number" }) }),
    ]);
    expect(p.notes).toEqual([]);
  });
});
