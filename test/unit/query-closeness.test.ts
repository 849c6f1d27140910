import { describe, expect, it } from "vitest";
import { referenceConstraints, summarizeProfile, summarizeTracks } from "../../src/query/closeness.js";
import { emptyPlan, type RangeConstraint } from "../../src/query/plan.js";
import type { FeatureProfile, StoredTrack } from "../../src/store/store.js";

const track = (rowid: number, over: Partial<StoredTrack>): StoredTrack =>
  ({
    rowid,
    name: `t${rowid}`,
    artists: ["a"],
    allGenres: [],
    energy: 0.5,
    valence: 0.5,
    tempo: 120,
    danceability: 0.5,
    acousticness: 0.5,
    ...over,
  }) as StoredTrack;

describe("feature summaries", () => {
  it("take the upper median of each feature and count genres over tracks", () => {
    const s = summarizeTracks([
      track(1, { energy: 0.2, allGenres: ["emo"] }),
      track(2, { energy: 0.9, allGenres: ["emo", "punk"] }),
    ]);
    expect(s.energy).toBe(0.9);
    expect(s.size).toBe(2);
    expect([...s.genres]).toEqual([
      ["emo", 2],
      ["punk", 1],
    ]);
  });

  it("read a genre profile's medians, with no genres of its own", () => {
    const p = (m: number) => [m - 2, m - 1, m, m + 1, m + 2] as [number, number, number, number, number];
    const profile = {
      count: 10,
      percentiles: {
        tempo: p(150),
        energy: p(0.9),
        valence: p(0.4),
        danceability: p(0.5),
        acousticness: p(0.05),
        loudness: p(-5),
        duration_ms: p(200_000),
      },
    } as FeatureProfile;
    const s = summarizeProfile(profile);
    expect(s).toMatchObject({ tempo: 150, energy: 0.9, valence: 0.4, size: 1 });
    expect(s.genres.size).toBe(0);
  });
});

describe("referenceConstraints", () => {
  it("keeps mood close (hard when asked) and the rest of the sound soft", () => {
    const plan = emptyPlan("q");
    referenceConstraints(plan, summarizeTracks([track(1, { allGenres: ["emo"] })]), "X");
    expect(plan.constraints[0]).toMatchObject({ type: "genre", labels: ["emo"], hard: true });
    const ranges = plan.constraints.slice(1) as RangeConstraint[];
    expect(ranges.map((c) => [c.field, c.hard])).toEqual([
      ["energy", true],
      ["valence", true],
      ["tempo", false],
      ["danceability", false],
      ["acousticness", false],
    ]);
    expect(ranges[2]).toMatchObject({ min: 108, max: 132, octave: true, label: "tempo near 120 BPM" });
  });

  it("keeps a genre only when enough of the reference carries it", () => {
    const tracks = Array.from({ length: 10 }, (_, i) => track(i, { allGenres: i < 3 ? ["emo"] : [] }));
    const withShare = (minShare: number) => {
      const plan = emptyPlan("q");
      referenceConstraints(plan, summarizeTracks(tracks), "likes", { genres: true, hard: false, minShare });
      return plan.constraints.filter((c) => c.type === "genre").length;
    };
    expect(withShare(0.2)).toBe(1);
    expect(withShare(0.4)).toBe(0);
  });
});
