import { describe, expect, it } from "vitest";
import { baseTitle, normName, songKey } from "../../src/domain/text.js";
import type { Constraint, GenreConstraint } from "../../src/query/plan.js";
import {
  genreStrength,
  rangeFit,
  rangeMet,
  type Scored,
  scoreCandidates,
  shapeResults,
} from "../../src/rank/rank.js";
import type { StoredTrack } from "../../src/store/store.js";
import { CLEAN, NOT_HELENA, NOT_RADIOHEAD, planOf, rangeConstraint, TRACK_DEFAULTS } from "../helpers.js";

let nextRowid = 1;
function track(over: Partial<StoredTrack> = {}): StoredTrack {
  const rowid = over.rowid ?? nextRowid++;
  const genres = over.allGenres ?? over.genres ?? ["rock"];
  return {
    rowid,
    description: null,
    id: String(rowid).padStart(22, "0"),
    name: `Song ${rowid}`,
    artists: [`Artist ${rowid}`],
    artistIds: [],
    album: null,
    genres,
    allGenres: genres,
    ...TRACK_DEFAULTS,
    ...over,
  };
}

const range = rangeConstraint;

const TECHNO: GenreConstraint = {
  type: "genre",
  labels: ["techno", "detroit-techno", "minimal-techno"],
  core: ["techno"],
  label: "genre techno",
  hard: true,
  priority: 6,
  source: { kind: "word", text: "techno" },
};

const HIGH_ENERGY = range({ field: "energy", min: 0.7, ideal: 0.9, label: "high energy" });
const SAD = range({ field: "valence", max: 0.35, ideal: 0.15, label: "sad" });
const AROUND_170 = range({ field: "tempo", min: 165, max: 175, ideal: 170, label: "around 170 BPM" });

describe("rangeFit", () => {
  it("is 1 at and beyond the ideal of a lower bound", () => {
    expect(rangeFit(HIGH_ENERGY, track({ energy: 0.9 }))).toBe(1);
    expect(rangeFit(HIGH_ENERGY, track({ energy: 0.99 }))).toBe(1);
  });

  it("is 1 at and beyond the ideal of an upper bound", () => {
    expect(rangeFit(SAD, track({ valence: 0.15 }))).toBe(1);
    expect(rangeFit(SAD, track({ valence: 0.02 }))).toBe(1);
  });

  it("is between 0.7 and 1 inside the range, rising towards the ideal", () => {
    const atBound = rangeFit(HIGH_ENERGY, track({ energy: 0.7 }));
    const mid = rangeFit(HIGH_ENERGY, track({ energy: 0.8 }));
    expect(atBound).toBeCloseTo(0.7, 9);
    expect(mid).toBeCloseTo(0.85, 9);
    expect(mid).toBeGreaterThan(atBound);
    expect(rangeFit(SAD, track({ valence: 0.35 }))).toBeCloseTo(0.7, 9);
    expect(rangeFit(SAD, track({ valence: 0.25 }))).toBeCloseTo(0.85, 9);
  });

  it("is highest at the ideal of a two-sided range and 0.7 at its bounds", () => {
    expect(rangeFit(AROUND_170, track({ tempo: 170 }))).toBe(1);
    expect(rangeFit(AROUND_170, track({ tempo: 165 }))).toBeCloseTo(0.7, 9);
    expect(rangeFit(AROUND_170, track({ tempo: 175 }))).toBeCloseTo(0.7, 9);
    expect(rangeFit(AROUND_170, track({ tempo: 172.5 }))).toBeCloseTo(0.85, 9);
  });

  it("is below 0.6 outside the range and falls with the distance, down to 0", () => {
    const fits = [0.69, 0.65, 0.6, 0.55, 0.5, 0.45].map((energy) => rangeFit(HIGH_ENERGY, track({ energy })));
    for (const f of fits) expect(f).toBeLessThan(0.6);
    for (let i = 1; i < fits.length; i++) expect(fits[i]).toBeLessThan(fits[i - 1] as number);
    expect(rangeFit(HIGH_ENERGY, track({ energy: 0.65 }))).toBeCloseTo(0.48, 9);
    expect(rangeFit(HIGH_ENERGY, track({ energy: 0.2 }))).toBe(0);
    // Above an upper bound, and on a per-field scale (tempo: 30 BPM).
    expect(rangeFit(SAD, track({ valence: 0.45 }))).toBeCloseTo(0.36, 9);
    expect(rangeFit(AROUND_170, track({ tempo: 180 }))).toBeCloseTo(0.5, 9);
    expect(rangeFit(AROUND_170, track({ tempo: 160 }))).toBeCloseTo(0.5, 9);
    expect(rangeFit(AROUND_170, track({ tempo: 220 }))).toBe(0);
  });

  it("is 1 anywhere inside a range without an ideal", () => {
    const c = range({ field: "popularity", min: 60 });
    expect(rangeFit(c, track({ popularity: 60 }))).toBe(1);
    expect(rangeFit(c, track({ popularity: 95 }))).toBe(1);
    expect(rangeFit(c, track({ popularity: 50 }))).toBeCloseTo(0.6 * (1 - 10 / 25), 9);
  });

  it("with octave, half and double time count as the tempo", () => {
    const octave = { ...AROUND_170, octave: true };
    expect(rangeFit(octave, track({ tempo: 85 }))).toBe(1);
    expect(rangeFit(octave, track({ tempo: 340 }))).toBe(1);
    expect(rangeFit(octave, track({ tempo: 83 }))).toBeCloseTo(0.76, 9);
    expect(rangeFit(AROUND_170, track({ tempo: 85 }))).toBe(0);
  });

  it("reads duration from durationMs", () => {
    const short = range({ field: "duration_ms", max: 180_000, ideal: 120_000 });
    expect(rangeFit(short, track({ durationMs: 100_000 }))).toBe(1);
    expect(rangeFit(short, track({ durationMs: 270_000 }))).toBe(0);
  });
});

describe("rangeMet", () => {
  it("includes both bounds", () => {
    expect(rangeMet(AROUND_170, track({ tempo: 165 }))).toBe(true);
    expect(rangeMet(AROUND_170, track({ tempo: 175 }))).toBe(true);
    expect(rangeMet(AROUND_170, track({ tempo: 164.9 }))).toBe(false);
    expect(rangeMet(AROUND_170, track({ tempo: 175.1 }))).toBe(false);
  });

  it("open ranges", () => {
    expect(rangeMet(HIGH_ENERGY, track({ energy: 1 }))).toBe(true);
    expect(rangeMet(HIGH_ENERGY, track({ energy: 0.69 }))).toBe(false);
    expect(rangeMet(SAD, track({ valence: 0 }))).toBe(true);
    expect(rangeMet(SAD, track({ valence: 0.36 }))).toBe(false);
  });

  it("mode ranges: minor is max 0, major is min 1", () => {
    const minor = range({ field: "mode", max: 0 });
    const major = range({ field: "mode", min: 1 });
    expect(rangeMet(minor, track({ mode: 0 }))).toBe(true);
    expect(rangeMet(minor, track({ mode: 1 }))).toBe(false);
    expect(rangeMet(major, track({ mode: 1 }))).toBe(true);
    expect(rangeMet(major, track({ mode: 0 }))).toBe(false);
  });

  it("octave: half or double time meets the range", () => {
    const octave = { ...AROUND_170, octave: true };
    expect(rangeMet(octave, track({ tempo: 85 }))).toBe(true);
    expect(rangeMet(octave, track({ tempo: 340 }))).toBe(true);
    expect(rangeMet(octave, track({ tempo: 120 }))).toBe(false);
    expect(rangeMet(AROUND_170, track({ tempo: 85 }))).toBe(false);
  });
});

describe("genreStrength", () => {
  it("is 1 for a label the query named", () => {
    expect(genreStrength(TECHNO, track({ allGenres: ["techno"] }))).toEqual({ strength: 1, label: "techno" });
    // A core label wins over a family label listed first.
    expect(genreStrength(TECHNO, track({ allGenres: ["detroit-techno", "techno"] }))).toEqual({
      strength: 1,
      label: "techno",
    });
  });

  it("is 0.85 for another label of the family", () => {
    expect(genreStrength(TECHNO, track({ allGenres: ["house", "minimal-techno"] }))).toEqual({
      strength: 0.85,
      label: "minimal-techno",
    });
  });

  it("is 0 otherwise", () => {
    expect(genreStrength(TECHNO, track({ allGenres: ["jazz", "house"] }))).toEqual({
      strength: 0,
      label: null,
    });
    expect(genreStrength(TECHNO, track({ allGenres: [] }))).toEqual({ strength: 0, label: null });
  });
});

describe("scoreCandidates", () => {
  const FAST = range({ field: "tempo", min: 130, ideal: 160, label: "fast" });
  const plan = planOf([HIGH_ENERGY, FAST, TECHNO]);
  const good = track({ energy: 0.92, tempo: 165, allGenres: ["techno"] });
  const bad = track({ energy: 0.3, tempo: 100, allGenres: ["jazz"] });

  it("ranks a track meeting every constraint above one missing them at equal similarity", () => {
    const [a, b] = scoreCandidates(plan, [
      { track: bad, similarity: 0.5 },
      { track: good, similarity: 0.5 },
    ]);
    expect(a?.track).toBe(bad);
    expect(b?.track).toBe(good);
    expect(b?.score).toBeGreaterThan(a?.score ?? 1);
  });

  it("a better fit outweighs a somewhat lower similarity", () => {
    const [a, b] = scoreCandidates(plan, [
      { track: bad, similarity: 0.6 },
      { track: good, similarity: 0.5 },
    ]);
    expect(b?.score).toBeGreaterThan(a?.score ?? 1);
  });

  it("similarity decides between tracks that fit alike", () => {
    const twin = track({ energy: 0.92, tempo: 165, allGenres: ["techno"] });
    const [a, b] = scoreCandidates(plan, [
      { track: good, similarity: 0.8 },
      { track: twin, similarity: 0.4 },
    ]);
    expect(a?.score).toBeGreaterThan(b?.score ?? 1);
  });

  it("a core genre label scores above a family label, all else equal", () => {
    const family = track({ energy: 0.92, tempo: 165, allGenres: ["detroit-techno"] });
    const [a, b] = scoreCandidates(plan, [
      { track: good, similarity: 0.5 },
      { track: family, similarity: 0.5 },
    ]);
    expect(a?.score).toBeGreaterThan(b?.score ?? 1);
    expect(b?.why.genre).toBe("detroit-techno");
  });

  it("why lists what a track meets and misses, with its value and the target", () => {
    const [g, b] = scoreCandidates(plan, [
      { track: good, similarity: 0.51234 },
      { track: bad, similarity: 0.5 },
    ]);
    expect(g?.why.misses).toEqual([]);
    expect(g?.why.meets.map((m) => m.label).sort()).toEqual(["fast", "genre techno", "high energy"]);
    expect(g?.why.meets.find((m) => m.label === "high energy")).toMatchObject({
      met: true,
      hard: true,
      value: 0.92,
      target: ">= 0.7",
    });
    expect(g?.why.meets.find((m) => m.label === "fast")).toMatchObject({ value: 165, target: ">= 130 BPM" });
    expect(g?.why.genre).toBe("techno");
    expect(g?.why.similarity).toBe(0.5123);

    expect(b?.why.meets).toEqual([]);
    expect(b?.why.misses.map((m) => m.label).sort()).toEqual(["fast", "genre techno", "high energy"]);
    expect(b?.why.misses.find((m) => m.label === "high energy")).toMatchObject({
      met: false,
      value: 0.3,
      target: ">= 0.7",
    });
    expect(b?.why.misses.find((m) => m.label === "fast")).toMatchObject({ value: 100, target: ">= 130 BPM" });
    expect(b?.why.misses.find((m) => m.label === "genre techno")?.target).toMatch(/^any of techno/);
    expect(b?.why.summary).toMatch(/missed/);
  });

  it("octave targets say half/double time counts", () => {
    const octave = { ...AROUND_170, octave: true };
    const [s] = scoreCandidates(planOf([octave]), [{ track: track({ tempo: 85 }), similarity: null }]);
    expect(s?.why.meets[0]).toMatchObject({ met: true, value: 85 });
    expect(s?.why.meets[0]?.target).toMatch(/half\/double/);
  });

  it("soft constraints still rank: meeting a soft one beats missing it", () => {
    const soft = { ...SAD, hard: false };
    const [a, b] = scoreCandidates(planOf([soft]), [
      { track: track({ valence: 0.1 }), similarity: 0.5 },
      { track: track({ valence: 0.9 }), similarity: 0.5 },
    ]);
    expect(a?.score).toBeGreaterThan(b?.score ?? 1);
    expect(b?.why.misses[0]).toMatchObject({ hard: false, met: false });
  });

  it("explicit, artist, not_song and title checks land in meets or misses", () => {
    const constraints: Constraint[] = [
      CLEAN,
      NOT_RADIOHEAD,
      NOT_HELENA,
      {
        type: "title",
        words: ["remix"],
        label: "a remix version",
        hard: false,
        priority: 4,
        source: { kind: "word", text: "remix" },
      },
    ];
    const ok = track({ name: "Song (Remix)", artists: ["Muse"] });
    const helena = track({ name: "Helena - Live", artists: ["My Chemical Romance"], explicit: true });
    const [a, b] = scoreCandidates(planOf(constraints), [
      { track: ok, similarity: null },
      { track: helena, similarity: null },
    ]);
    expect(a?.why.misses).toEqual([]);
    expect(b?.why.misses.map((m) => m.label).sort()).toEqual([
      "a remix version",
      "clean",
      "not Helena itself",
    ]);
    expect(b?.why.meets.map((m) => m.label)).toEqual(["not by Radiohead"]);
    expect(a?.score).toBeGreaterThan(b?.score ?? 1);
  });
});

describe("scoreCandidates: LLM tags", () => {
  const DREAMY: Constraint = {
    type: "llm_tag",
    tag: "dreamy",
    label: "LLM tag dreamy",
    hard: false,
    priority: 2,
    source: { kind: "llm-tag", text: "dreamy" },
  };
  const tags = (...t: string[]) => ({ model: "gpt-4o-mini", tags: t });

  it("ranks tracks carrying the tag above tracks the LLM tagged otherwise, and leaves untagged ones alone", () => {
    const plan = planOf([SAD, DREAMY], { llmTags: ["dreamy"] });
    const [carrier, other, untagged] = scoreCandidates(plan, [
      { track: track({ valence: 0.3, llmTags: tags("dreamy", "like:Slowdive") }), similarity: 0.5 },
      { track: track({ valence: 0.3, llmTags: tags("energetic") }), similarity: 0.5 },
      { track: track({ valence: 0.3 }), similarity: 0.5 },
    ]);
    const [alone] = scoreCandidates(planOf([SAD]), [{ track: track({ valence: 0.3 }), similarity: 0.5 }]);
    expect(carrier?.score).toBeGreaterThan(untagged?.score ?? 1);
    expect(untagged?.score).toBeGreaterThan(other?.score ?? 1);
    // Untagged: exactly the score it has when the query names no tag.
    expect(untagged?.score).toBe(alone?.score);
    expect(untagged?.why.meets.concat(untagged.why.misses).map((m) => m.label)).toEqual([SAD.label]);
    expect(carrier?.why.meets.find((m) => m.label === "LLM tag dreamy")).toMatchObject({
      met: true,
      value: "dreamy",
      target: "tagged dreamy",
    });
    expect(other?.why.misses.map((m) => m.label)).toContain("LLM tag dreamy");
    // Said once, with the model's name.
    expect(carrier?.why.summary).toBe("sad; similarity 0.50; LLM tag (gpt-4o-mini): dreamy");
  });

  it("marks nothing once the tag's constraint is dropped from the plan", () => {
    const [r] = scoreCandidates(planOf([SAD], { llmTags: ["dreamy"] }), [
      { track: track({ valence: 0.3, llmTags: tags("dreamy") }), similarity: 0.5 },
    ]);
    expect(r?.why.llmTags).toBeUndefined();
    expect(r?.why.summary).toBe("sad; similarity 0.50");
  });
});

function scored(t: StoredTrack, score: number): Scored {
  return {
    track: t,
    score,
    relaxedFit: 0,
    why: { similarity: null, genre: null, meets: [], misses: [], summary: "" },
  };
}

describe("shapeResults", () => {
  const mcr = ["My Chemical Romance"];
  const helena = scored(track({ name: "Helena", artists: mcr }), 0.5);
  const live = scored(track({ name: "Helena - Live", artists: mcr }), 0.9);
  const remaster = scored(track({ name: "Helena (2014 Remaster)", artists: mcr }), 0.7);
  const other = scored(track({ name: "Helena", artists: ["Someone Else"] }), 0.6);
  const parade = scored(track({ name: "Welcome to the Black Parade", artists: mcr }), 0.4);

  it("collapses versions of one song into the best-scored one, best first", () => {
    const out = shapeResults([helena, live, remaster, other, parade], planOf([]), 10);
    expect(out.map((s) => s.track.name)).toEqual(["Helena - Live", "Helena", "Welcome to the Black Parade"]);
    expect(out[0]).toBe(live);
    expect(out[1]).toBe(other);
  });

  it("keeps every version when collapseVersions is false", () => {
    const plan = planOf([], { collapseVersions: false, artistCap: null });
    const out = shapeResults([helena, live, remaster, other, parade], plan, 10);
    expect(out).toHaveLength(5);
    expect(out.map((s) => s.score)).toEqual([0.9, 0.7, 0.6, 0.5, 0.4]);
  });

  it("even without collapsing, an exact duplicate (same artists, same title) is listed once", () => {
    const dup = scored(track({ name: "Helena", artists: mcr }), 0.45);
    const out = shapeResults([helena, dup], planOf([], { collapseVersions: false }), 10);
    expect(out).toEqual([helena]);
  });

  const byA = [0.95, 0.9, 0.85, 0.8, 0.75].map((s, i) =>
    scored(track({ name: `A${i}`, artists: ["Band A"] }), s),
  );
  const byB = [0.7, 0.65].map((s, i) => scored(track({ name: `B${i}`, artists: ["Band B"] }), s));

  it("keeps at most artistCap tracks per artist", () => {
    const out = shapeResults([...byA, ...byB], planOf([]), 10);
    expect(out.map((s) => s.track.name)).toEqual(["A0", "A1", "A2", "B0", "B1"]);
  });

  it("the cap counts the first artist, whatever its spelling", () => {
    const spelled = scored(track({ name: "A9", artists: ["BAND A"] }), 0.99);
    const out = shapeResults([...byA, spelled], planOf([]), 10);
    expect(out.map((s) => s.track.name)).toEqual(["A9", "A0", "A1"]);
  });

  it("a null cap keeps every track of an artist", () => {
    const out = shapeResults([...byA, ...byB], planOf([], { artistCap: null }), 10);
    expect(out).toHaveLength(7);
  });

  it("stops at the limit", () => {
    expect(shapeResults([...byA, ...byB], planOf([], { artistCap: null }), 4)).toHaveLength(4);
    expect(shapeResults([...byA, ...byB], planOf([]), 2).map((s) => s.track.name)).toEqual(["A0", "A1"]);
  });

  it("breaks score ties by rowid", () => {
    const x = scored(track({ rowid: 9001, name: "X" }), 0.5);
    const y = scored(track({ rowid: 9000, name: "Y" }), 0.5);
    expect(shapeResults([x, y], planOf([]), 10).map((s) => s.track.name)).toEqual(["Y", "X"]);
  });
});

describe("baseTitle and songKey", () => {
  it.each([
    ["Helena", "helena"],
    ["Helena - 2014 Remaster", "helena"],
    ["Helena - Live", "helena"],
    ["Helena (Live)", "helena"],
    ["Helena (2014 Remaster)", "helena"],
    ["Helena [Radio Edit]", "helena"],
    ["Song feat. Someone", "song"],
    ["Song (feat. Someone)", "song"],
    ["Song ft. Someone Else", "song"],
    ["Déjà Vu", "deja vu"],
    ["Rock & Roll", "rock and roll"],
    ["(Intro)", "intro"],
  ])("baseTitle(%s) = %s", (name, base) => {
    expect(baseTitle(name)).toBe(base);
  });

  it("keeps titles that only look alike apart", () => {
    expect(baseTitle("Helena")).not.toBe(baseTitle("Helene"));
    expect(baseTitle("Live Forever")).toBe("live forever");
  });

  it("songKey: the same song whatever the version and the order of its artists", () => {
    expect(songKey(["My Chemical Romance"], "Helena (2014 Remaster)")).toBe(
      songKey(["my chemical romance"], "Helena - Live"),
    );
    expect(songKey(["Jay-Z", "Beyoncé"], "Crazy in Love")).toBe(
      songKey(["Beyonce", "JAY Z"], "Crazy In Love"),
    );
    expect(songKey(["A"], "Helena")).not.toBe(songKey(["B"], "Helena"));
    expect(songKey(["A", "B"], "Helena")).not.toBe(songKey(["A"], "Helena"));
  });

  it("normName", () => {
    expect(normName("Beyoncé & Jay-Z")).toBe("beyonce and jay z");
    expect(normName("  blink-182 ")).toBe("blink 182");
  });
});

describe("lyrics themes in scoring", () => {
  const HEARTBREAK: Constraint = {
    type: "theme",
    theme: "heartbreak",
    label: "lyrics: heartbreak",
    hard: false,
    priority: 4,
    source: { kind: "lyrics themes", text: "about heartbreak" },
  };
  const FITS = { themes: ["heartbreak", "love"], similarity: { heartbreak: 0.55 } };
  const ELSEWHERE = { themes: ["partying"], similarity: { heartbreak: 0.1 } };

  it("a track without lyrics keeps the score it has without the theme", () => {
    const t = track({ energy: 0.9 });
    const [plain] = scoreCandidates(planOf([HIGH_ENERGY]), [{ track: t, similarity: 0.5 }]);
    const [themed] = scoreCandidates(planOf([HIGH_ENERGY, HEARTBREAK]), [
      { track: t, similarity: 0.5, lyrics: null },
    ]);
    expect(themed?.score).toBe(plain?.score);
    expect(themed?.why.meets.map((m) => m.label)).toEqual(["high energy"]);
    expect(themed?.why.misses).toEqual([]);
  });

  it("lifts a track whose lyrics have the theme, and says so first in why", () => {
    const a = track({ energy: 0.9 });
    const b = track({ energy: 0.9 });
    const [fits, none] = scoreCandidates(planOf([HIGH_ENERGY, HEARTBREAK]), [
      { track: a, similarity: 0.5, lyrics: FITS },
      { track: b, similarity: 0.5, lyrics: null },
    ]);
    expect(fits?.score).toBeGreaterThan(none?.score ?? 1);
    expect(fits?.why.summary.startsWith("lyrics: heartbreak")).toBe(true);
    expect(fits?.why.meets[0]).toMatchObject({
      label: "lyrics: heartbreak",
      met: true,
      target: "heartbreak",
    });
  });

  it("lyrics about something else neither lift nor lower a track", () => {
    const a = track({ energy: 0.9 });
    const b = track({ energy: 0.9 });
    const [other, none] = scoreCandidates(planOf([HIGH_ENERGY, HEARTBREAK]), [
      { track: a, similarity: 0.5, lyrics: ELSEWHERE },
      { track: b, similarity: 0.5, lyrics: null },
    ]);
    expect(other?.score).toBe(none?.score);
    expect(other?.why.misses.map((m) => m.label)).toEqual(["lyrics: heartbreak"]);
  });

  it("a track brought only by the lyrics channel leaves the others' scores as they were", () => {
    const a = track({ energy: 0.9 });
    const b = track({ energy: 0.5 });
    const others = [
      { track: a, similarity: 0.6 },
      { track: b, similarity: 0.4 },
    ];
    const without = scoreCandidates(planOf([HIGH_ENERGY, HEARTBREAK]), others);
    const withLyrics = scoreCandidates(planOf([HIGH_ENERGY, HEARTBREAK]), [
      ...others,
      { track: track(), similarity: 0.1, lyrics: FITS, viaLyrics: true },
    ]);
    expect(withLyrics.slice(0, 2).map((s) => s.score)).toEqual(without.map((s) => s.score));
  });

  it("a theme not among the track's own counts by similarity, below a stored one", () => {
    const near = { themes: ["love"], similarity: { heartbreak: 0.45 } };
    const [stored, similar] = scoreCandidates(planOf([HEARTBREAK]), [
      { track: track(), similarity: 0.5, lyrics: FITS },
      { track: track(), similarity: 0.5, lyrics: near },
    ]);
    const [none] = scoreCandidates(planOf([HEARTBREAK]), [{ track: track(), similarity: 0.5 }]);
    expect(stored?.score).toBeGreaterThan(similar?.score ?? 1);
    expect(similar?.score).toBeGreaterThan(none?.score ?? 1);
  });
});
