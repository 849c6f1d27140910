import { describe, expect, it } from "vitest";
import { normName, songKey } from "../../src/domain/text.js";
import {
  type Constraint,
  type GenreConstraint,
  type Grounding,
  type PlanContext,
  planQuery,
  type QueryPlan,
  type RangeConstraint,
} from "../../src/query/plan.js";
import type { FeatureProfile, FilterField, StoredTrack, TrackFilters } from "../../src/store/store.js";
import { TRACK_DEFAULTS } from "../helpers.js";

// The 114 track_genre labels of the 114K Spotify Tracks Dataset.
const LABELS = [
  "acoustic",
  "afrobeat",
  "alt-rock",
  "alternative",
  "ambient",
  "anime",
  "black-metal",
  "bluegrass",
  "blues",
  "brazil",
  "breakbeat",
  "british",
  "cantopop",
  "chicago-house",
  "children",
  "chill",
  "classical",
  "club",
  "comedy",
  "country",
  "dance",
  "dancehall",
  "death-metal",
  "deep-house",
  "detroit-techno",
  "disco",
  "disney",
  "drum-and-bass",
  "dub",
  "dubstep",
  "edm",
  "electro",
  "electronic",
  "emo",
  "folk",
  "forro",
  "french",
  "funk",
  "garage",
  "german",
  "gospel",
  "goth",
  "grindcore",
  "groove",
  "grunge",
  "guitar",
  "happy",
  "hard-rock",
  "hardcore",
  "hardstyle",
  "heavy-metal",
  "hip-hop",
  "honky-tonk",
  "house",
  "idm",
  "indian",
  "indie-pop",
  "indie",
  "industrial",
  "iranian",
  "j-dance",
  "j-idol",
  "j-pop",
  "j-rock",
  "jazz",
  "k-pop",
  "kids",
  "latin",
  "latino",
  "malay",
  "mandopop",
  "metal",
  "metalcore",
  "minimal-techno",
  "mpb",
  "new-age",
  "opera",
  "pagode",
  "party",
  "piano",
  "pop-film",
  "pop",
  "power-pop",
  "progressive-house",
  "psych-rock",
  "punk-rock",
  "punk",
  "r-n-b",
  "reggae",
  "reggaeton",
  "rock-n-roll",
  "rock",
  "rockabilly",
  "romance",
  "sad",
  "salsa",
  "samba",
  "sertanejo",
  "show-tunes",
  "singer-songwriter",
  "ska",
  "sleep",
  "songwriter",
  "soul",
  "spanish",
  "study",
  "swedish",
  "synth-pop",
  "tango",
  "techno",
  "trance",
  "trip-hop",
  "turkish",
  "world-music",
];

let nextRowid = 1;
function stored(
  name: string,
  artists: string[],
  genres: string[],
  over: Partial<StoredTrack> = {},
): StoredTrack {
  const rowid = nextRowid++;
  return {
    rowid,
    description: null,
    id: String(rowid).padStart(22, "0"),
    name,
    artists,
    artistIds: [],
    album: null,
    genres,
    allGenres: genres,
    ...TRACK_DEFAULTS,
    energy: 0.6,
    loudness: -6,
    acousticness: 0.1,
    valence: 0.4,
    ...over,
  };
}

const HELENA = stored("Helena", ["My Chemical Romance"], ["emo", "punk"], {
  popularity: 75,
  energy: 0.9,
  valence: 0.3,
  tempo: 150,
});
const TRACKS: StoredTrack[] = [
  HELENA,
  stored("Helena - Live", ["My Chemical Romance"], ["emo", "punk"], { popularity: 40 }),
  // A more popular "Helena" by someone else: the "by" clause must pick the right one.
  stored("Helena", ["Someone Else"], ["pop"], { popularity: 90 }),
  stored("Welcome to the Black Parade", ["My Chemical Romance"], ["emo", "punk"], { popularity: 80 }),
  stored("All the Small Things", ["blink-182"], ["punk-rock", "pop"], { popularity: 82 }),
  stored("Creep", ["Radiohead"], ["alt-rock", "alternative"], {
    popularity: 85,
    energy: 0.4,
    valence: 0.1,
    tempo: 92,
  }),
  stored("Karma Police", ["Radiohead"], ["alt-rock", "alternative"], {
    popularity: 80,
    energy: 0.5,
    valence: 0.2,
    tempo: 75,
  }),
  stored("No Surprises", ["Radiohead"], ["alt-rock", "alternative"], {
    popularity: 78,
    energy: 0.3,
    valence: 0.15,
    tempo: 76,
  }),
  stored("Happy Tune", ["Happy"], ["happy"], { popularity: 30 }),
];

const ARTISTS: Record<string, string> = {
  "blink 182": "blink-182",
  "my chemical romance": "My Chemical Romance",
  radiohead: "Radiohead",
  happy: "Happy",
};

// Cast: the profile may carry more fields than these (duration_ms), which the planner may read.
const HARDSTYLE_PROFILE = {
  count: 1000,
  percentiles: {
    tempo: [140, 148, 150, 155, 160],
    energy: [0.8, 0.85, 0.9, 0.95, 0.97],
    valence: [0.2, 0.3, 0.4, 0.5, 0.6],
    danceability: [0.4, 0.45, 0.5, 0.55, 0.6],
    acousticness: [0, 0.01, 0.02, 0.05, 0.1],
    loudness: [-6, -5, -4, -3.5, -3],
    duration_ms: [180_000, 200_000, 220_000, 250_000, 280_000],
  },
} as FeatureProfile;

interface FakeContext extends PlanContext {
  groundCalls: string[][];
  profileCalls: TrackFilters[];
}

function fakeContext(
  opts: { hasYears?: boolean; groundings?: Record<string, Omit<Grounding, "word">> } = {},
): FakeContext {
  const groundCalls: string[][] = [];
  const profileCalls: TrackFilters[] = [];
  const ctx: FakeContext = {
    groundCalls,
    profileCalls,
    genreLabels: LABELS,
    hasYears: opts.hasYears ?? false,
    findArtist: (norm) => ARTISTS[norm] ?? null,
    findTitles: (title, limit) => {
      const words = normName(title).split(" ").filter(Boolean);
      return TRACKS.filter((t) => {
        const name = normName(t.name).split(" ");
        return words.length > 0 && words.every((w) => name.includes(w));
      }).slice(0, limit);
    },
    artistTracks: (norm, limit) =>
      TRACKS.filter((t) => t.artists.some((a) => normName(a) === norm))
        .sort((a, b) => b.popularity - a.popularity)
        .slice(0, limit),
    profile: (filters) => {
      profileCalls.push(filters);
      return filters.genres?.includes("hardstyle") ? HARDSTYLE_PROFILE : null;
    },
  };
  const groundings = opts.groundings;
  if (groundings) {
    ctx.ground = async (words) => {
      groundCalls.push([...words]);
      return words.flatMap((word) => {
        const g = groundings[word];
        return g ? [{ word, ...g }] : [];
      });
    };
  }
  return ctx;
}

const plan = (q: string, ctx: PlanContext = fakeContext()) => planQuery(q, ctx);

function rangesOn(p: QueryPlan, field: FilterField): RangeConstraint[] {
  return p.constraints.filter((c): c is RangeConstraint => c.type === "range" && c.field === field);
}

/** The one range constraint on a field (fails when there are none or several). */
function rangeOn(p: QueryPlan, field: FilterField): RangeConstraint {
  const rs = rangesOn(p, field);
  expect(rs, `range constraints on ${field} in ${JSON.stringify(p.constraints)}`).toHaveLength(1);
  return rs[0] as RangeConstraint;
}

function genresOf(p: QueryPlan): GenreConstraint[] {
  return p.constraints.filter((c): c is GenreConstraint => c.type === "genre");
}

/** The one positive genre constraint whose labels contain `label`. */
function genreWith(p: QueryPlan, label: string): GenreConstraint {
  const gs = genresOf(p).filter((g) => !g.exclude && g.labels.includes(label));
  expect(gs, `genre constraints with ${label} in ${JSON.stringify(p.constraints)}`).toHaveLength(1);
  return gs[0] as GenreConstraint;
}

function ofType<T extends Constraint["type"]>(
  p: QueryPlan,
  type: T,
): Array<Extract<Constraint, { type: T }>> {
  return p.constraints.filter((c): c is Extract<Constraint, { type: T }> => c.type === type);
}

describe("planQuery: moods and energy", () => {
  it.each([
    "dark techno with high energy",
    "energetic techno that is dark",
    "techno, high-energy and gloomy",
  ])("%s -> hard valence <= 0.35, hard energy >= 0.7, techno family", async (q) => {
    const p = await plan(q);
    expect(rangeOn(p, "valence")).toMatchObject({ max: 0.35, hard: true });
    expect(rangeOn(p, "valence").min).toBeUndefined();
    expect(rangeOn(p, "energy")).toMatchObject({ min: 0.7, hard: true });
    expect(rangeOn(p, "energy").max).toBeUndefined();
    const g = genreWith(p, "techno");
    expect(g.hard).toBe(true);
    expect(g.labels).toEqual(expect.arrayContaining(["techno", "detroit-techno", "minimal-techno"]));
    expect(g.core).toEqual(["techno"]);
    expect(p.constraints).toHaveLength(3);
  });

  it("sad songs with a fast tempo -> valence <= 0.35 and tempo >= 130", async () => {
    const p = await plan("sad songs with a fast tempo");
    expect(rangeOn(p, "valence")).toMatchObject({ max: 0.35, hard: true });
    expect(rangeOn(p, "tempo")).toMatchObject({ min: 130, hard: true });
    expect(genresOf(p)).toHaveLength(0);
  });

  it("quick sad tracks: 'quick' is understood (short or fast), 'sad' is valence", async () => {
    const p = await plan("quick sad tracks");
    expect(rangeOn(p, "valence")).toMatchObject({ max: 0.35, hard: true });
    const short = rangesOn(p, "duration_ms").some((c) => c.max === 180_000);
    const fast = rangesOn(p, "tempo").some((c) => c.min === 130);
    expect(short || fast, JSON.stringify(p.constraints)).toBe(true);
    expect(p.freeWords).not.toContain("quick");
  });

  it("sad songs: mood, not the genre label 'sad'", async () => {
    const p = await plan("sad songs");
    expect(rangeOn(p, "valence")).toMatchObject({ max: 0.35, hard: true, source: { kind: "word" } });
    expect(genresOf(p)).toHaveLength(0);
  });

  it("very sad -> valence <= 0.2", async () => {
    const p = await plan("very sad");
    expect(rangeOn(p, "valence")).toMatchObject({ max: 0.2, hard: true });
  });

  it("a bit sad -> soft valence <= 0.45 with a lower priority than a plain word", async () => {
    const p = await plan("a bit sad");
    const c = rangeOn(p, "valence");
    expect(c).toMatchObject({ max: 0.45, hard: false });
    const plain = rangeOn(await plan("sad"), "valence");
    expect(c.priority).toBeLessThan(plain.priority);
  });

  it("slightly fast -> soft tempo >= 118", async () => {
    expect(rangeOn(await plan("slightly fast songs"), "tempo")).toMatchObject({ min: 118, hard: false });
  });

  it("not sad -> valence >= 0.35 (the complement), hard", async () => {
    const p = await plan("not sad");
    const c = rangeOn(p, "valence");
    expect(c).toMatchObject({ min: 0.35, hard: true });
    expect(c.max).toBeUndefined();
    expect(c.ideal).toBeGreaterThan(0.35);
  });

  it("rock that isn't sad -> rock and valence >= 0.35; 'sad' leaves the semantic text", async () => {
    const p = await plan("rock that isn't sad");
    expect(rangeOn(p, "valence")).toMatchObject({ min: 0.35 });
    expect(rangeOn(p, "valence").max).toBeUndefined();
    expect(genreWith(p, "rock").hard).toBe(true);
    expect(p.semanticText).not.toMatch(/sad/);
    expect(p.semanticText).toMatch(/rock/);
  });

  it("rock songs that are not sad -> semanticText has no 'sad'", async () => {
    const p = await plan("rock songs that are not sad");
    expect(p.semanticText).not.toMatch(/\bsad\b/);
    expect(p.semanticText).not.toMatch(/\bnot\b/);
    expect(p.semanticText).toMatch(/rock/);
    expect(rangeOn(p, "valence").min).toBe(0.35);
  });

  it("not too fast -> tempo <= 130", async () => {
    const c = rangeOn(await plan("songs that are not too fast"), "tempo");
    expect(c).toMatchObject({ max: 130 });
    expect(c.min).toBeUndefined();
  });

  it.each([
    ["calm songs", "energy", { max: 0.4 }],
    ["mellow tunes", "energy", { max: 0.4 }],
    ["chill music", "energy", { max: 0.4 }],
    ["aggressive songs", "energy", { min: 0.7 }],
    ["cheerful songs", "valence", { min: 0.65 }],
    ["upbeat music", "valence", { min: 0.65 }],
    ["melancholic songs", "valence", { max: 0.35 }],
    ["slow songs", "tempo", { max: 95 }],
    ["fast songs", "tempo", { min: 130 }],
    ["very fast songs", "tempo", { min: 150 }],
    ["danceable tracks", "danceability", { min: 0.7 }],
    ["instrumental music", "instrumentalness", { min: 0.5 }],
    ["loud songs", "loudness", { min: -6 }],
    ["quiet songs", "loudness", { max: -10 }],
    ["acoustic songs", "acousticness", { min: 0.6 }],
  ] as Array<[string, FilterField, Partial<RangeConstraint>]>)("%s -> %s %o", async (q, field, bounds) => {
    const p = await plan(q);
    const c = rangeOn(p, field);
    expect(c).toMatchObject({ ...bounds, hard: true });
    if (bounds.min !== undefined) expect(c.max).toBeUndefined();
    if (bounds.max !== undefined) expect(c.min).toBeUndefined();
  });

  it("chill music: the mood word wins over the genre label 'chill'", async () => {
    const p = await plan("chill music");
    expect(genresOf(p).filter((g) => g.hard)).toHaveLength(0);
  });

  it("euphoric trance -> energy >= 0.7, some positive valence, trance", async () => {
    const p = await plan("euphoric trance");
    expect(rangeOn(p, "energy")).toMatchObject({ min: 0.7 });
    expect(rangeOn(p, "valence").min).toBeGreaterThanOrEqual(0.5);
    expect(genreWith(p, "trance").hard).toBe(true);
  });
});

describe("planQuery: vocals, liveness, speech, loudness, key", () => {
  it.each(["without vocals", "no vocals please", "instrumental"])(
    "%s -> instrumentalness >= 0.5",
    async (q) => {
      const p = await plan(q);
      const c = rangeOn(p, "instrumentalness");
      expect(c).toMatchObject({ min: 0.5, hard: true });
      expect(c.max).toBeUndefined();
    },
  );

  it("electronic music without vocals -> electronic family and instrumentalness >= 0.5", async () => {
    const p = await plan("electronic music without vocals");
    expect(rangeOn(p, "instrumentalness")).toMatchObject({ min: 0.5, hard: true });
    const g = genreWith(p, "electronic");
    expect(g.hard).toBe(true);
    expect(g.labels).toEqual(expect.arrayContaining(["techno", "house", "drum-and-bass", "trance"]));
    expect(g.core).toEqual(["electronic"]);
  });

  it("instrumental hip hop -> instrumentalness and hip-hop", async () => {
    const p = await plan("instrumental hip hop");
    expect(rangeOn(p, "instrumentalness").min).toBe(0.5);
    expect(genreWith(p, "hip-hop").hard).toBe(true);
  });

  it("live jazz -> liveness >= 0.7 and jazz", async () => {
    const p = await plan("live jazz");
    expect(rangeOn(p, "liveness")).toMatchObject({ min: 0.7, hard: true });
    expect(genreWith(p, "jazz").hard).toBe(true);
  });

  it("spoken word comedy -> speechiness >= 0.66 and comedy", async () => {
    const p = await plan("spoken word comedy");
    expect(rangeOn(p, "speechiness")).toMatchObject({ min: 0.66, hard: true });
    expect(genreWith(p, "comedy").hard).toBe(true);
  });

  it("loud rock in a minor key -> loudness >= -6, mode <= 0, rock family", async () => {
    const p = await plan("loud rock in a minor key");
    expect(rangeOn(p, "loudness")).toMatchObject({ min: -6, hard: true });
    const mode = rangeOn(p, "mode");
    expect(mode).toMatchObject({ max: 0, hard: true });
    expect(mode.min).toBeUndefined();
    const g = genreWith(p, "rock");
    expect(g.labels).toEqual(expect.arrayContaining(["hard-rock", "alt-rock", "grunge", "punk-rock"]));
  });

  it("happy songs in a major key -> valence >= 0.65, mode >= 1, no artist Happy, no genre", async () => {
    const p = await plan("happy songs in a major key");
    expect(rangeOn(p, "valence")).toMatchObject({ min: 0.65, hard: true });
    const mode = rangeOn(p, "mode");
    expect(mode).toMatchObject({ min: 1, hard: true });
    expect(mode.max).toBeUndefined();
    expect(ofType(p, "artist")).toHaveLength(0);
    expect(genresOf(p)).toHaveLength(0);
  });

  it("quiet acoustic folk -> loudness <= -10, acousticness >= 0.6, folk family", async () => {
    const p = await plan("quiet acoustic folk");
    expect(rangeOn(p, "loudness")).toMatchObject({ max: -10, hard: true });
    expect(rangeOn(p, "acousticness")).toMatchObject({ min: 0.6, hard: true });
    const g = genreWith(p, "folk");
    expect(g.labels).toEqual(expect.arrayContaining(["folk", "singer-songwriter", "songwriter"]));
  });
});

describe("planQuery: tempo numbers", () => {
  it("songs around 170 bpm for running -> 165..175, half/double time, soft running energy", async () => {
    const p = await plan("songs around 170 bpm for running");
    const tempo = rangeOn(p, "tempo");
    expect(tempo).toMatchObject({ min: 165, max: 175, octave: true, hard: true, source: { kind: "number" } });
    const energy = rangeOn(p, "energy");
    expect(energy).toMatchObject({ min: 0.7, hard: false, source: { kind: "activity" } });
  });

  it("around 170 bpm without running: no half/double time", async () => {
    const tempo = rangeOn(await plan("songs around 170 bpm"), "tempo");
    expect(tempo).toMatchObject({ min: 165, max: 175 });
    expect(tempo.octave).toBeFalsy();
  });

  it("128bpm techno -> 123..133 and techno", async () => {
    const p = await plan("128bpm techno");
    expect(rangeOn(p, "tempo")).toMatchObject({ min: 123, max: 133, hard: true });
    expect(genreWith(p, "techno").hard).toBe(true);
  });

  it("128 bpm techno (with a space) -> 123..133", async () => {
    expect(rangeOn(await plan("128 bpm techno"), "tempo")).toMatchObject({ min: 123, max: 133 });
  });

  it.each([
    ["between 120 and 130 bpm", 120, 130],
    ["120 to 130 bpm", 120, 130],
    ["songs at 90 beats per minute", 85, 95],
  ])("%s -> %d..%d", async (q, min, max) => {
    expect(rangeOn(await plan(q), "tempo")).toMatchObject({ min, max, hard: true });
  });

  it("over 140 bpm -> tempo >= 140, no upper bound", async () => {
    const c = rangeOn(await plan("over 140 bpm"), "tempo");
    expect(c).toMatchObject({ min: 140, hard: true });
    expect(c.max).toBeUndefined();
  });

  it("under 100 bpm -> tempo <= 100, no lower bound", async () => {
    const c = rangeOn(await plan("songs under 100 bpm"), "tempo");
    expect(c).toMatchObject({ max: 100 });
    expect(c.min).toBeUndefined();
  });
});

describe("planQuery: durations", () => {
  it.each([
    ["under three minutes", undefined, 180_000],
    ["less than 2 minutes", undefined, 120_000],
    ["songs under 2:30", undefined, 150_000],
    ["longer than 6 minutes", 360_000, undefined],
    ["at least 4 minutes long", 240_000, undefined],
    ["very long songs", 360_000, undefined],
    ["around 3 minutes long", 150_000, 210_000],
    ["songs between 2 and 3 minutes", 120_000, 180_000],
  ])("%s -> duration %s..%s", async (q, min, max) => {
    const c = rangeOn(await plan(q), "duration_ms");
    expect(c.min).toBe(min);
    expect(c.max).toBe(max);
    expect(c.hard).toBe(true);
  });

  it("short punk -> duration <= 180 s and the punk family", async () => {
    const p = await plan("short punk");
    const length = rangeOn(p, "duration_ms");
    expect(length.hard).toBe(true);
    expect(length.max).toBeLessThanOrEqual(180_000);
    expect(length.min).toBeUndefined();
    const g = genreWith(p, "punk");
    expect(g.labels).toEqual(expect.arrayContaining(["punk", "punk-rock"]));
    expect(g.core).toEqual(["punk"]);
  });
});

describe("planQuery: years", () => {
  it("80s synth pop with release years -> 1980..1989 and synth-pop", async () => {
    const p = await plan("80s synth pop", fakeContext({ hasYears: true }));
    expect(rangeOn(p, "year")).toMatchObject({ min: 1980, max: 1989, hard: true });
    expect(genreWith(p, "synth-pop").hard).toBe(true);
    expect(p.notes).toHaveLength(0);
  });

  it("80s synth pop without release years -> no year constraint, a note saying why", async () => {
    const p = await plan("80s synth pop", fakeContext({ hasYears: false }));
    expect(rangesOn(p, "year")).toHaveLength(0);
    expect(p.notes.some((n) => /no release years/.test(n))).toBe(true);
    expect(genreWith(p, "synth-pop").hard).toBe(true);
  });

  it.each([
    ["eighties rock", 1980, 1989],
    ["songs from the 90s", 1990, 1999],
    ["music from 1995", 1995, 1995],
    ["the 2010s", 2010, 2019],
  ])("%s -> %d..%d", async (q, min, max) => {
    expect(rangeOn(await plan(q, fakeContext({ hasYears: true })), "year")).toMatchObject({ min, max });
  });

  it("before 1980 -> year <= 1979", async () => {
    const c = rangeOn(await plan("rock before 1980", fakeContext({ hasYears: true })), "year");
    expect(c.max).toBe(1979);
    expect(c.min).toBeUndefined();
  });
});

describe("planQuery: explicit", () => {
  it("clean hip hop -> explicit false and hip-hop", async () => {
    const p = await plan("clean hip hop");
    expect(ofType(p, "explicit")).toEqual([expect.objectContaining({ value: false, hard: true })]);
    expect(genreWith(p, "hip-hop").hard).toBe(true);
  });

  it.each(["no explicit lyrics", "sad songs without explicit lyrics", "songs that aren't explicit"])(
    "%s -> explicit false",
    async (q) => {
      const p = await plan(q);
      expect(ofType(p, "explicit")).toEqual([expect.objectContaining({ value: false, hard: true })]);
    },
  );

  it("explicit rap -> explicit true and hip-hop via the synonym rap", async () => {
    const p = await plan("explicit rap");
    expect(ofType(p, "explicit")).toEqual([expect.objectContaining({ value: true, hard: true })]);
    const g = genreWith(p, "hip-hop");
    expect(g.source.kind).toBe("synonym");
    expect(g.core).toEqual(["hip-hop"]);
  });
});

describe("planQuery: genre words", () => {
  it.each([
    ["drum & bass", "drum-and-bass"],
    ["dnb", "drum-and-bass"],
    ["drum and bass", "drum-and-bass"],
    ["r&b", "r-n-b"],
    ["rnb", "r-n-b"],
    ["k pop", "k-pop"],
    ["kpop", "k-pop"],
    ["hip-hop", "hip-hop"],
    ["deep house", "deep-house"],
    ["rock and roll", "rock-n-roll"],
  ])("%s -> %s", async (q, label) => {
    const p = await plan(q);
    const g = genreWith(p, label);
    expect(g.hard).toBe(true);
    expect(g.core).toContain(label);
    expect(p.freeWords).toEqual([]);
  });

  it("metal -> the whole metal family, core metal", async () => {
    const p = await plan("metal");
    const g = genreWith(p, "metal");
    expect(g.labels).toEqual(
      expect.arrayContaining([
        "metal",
        "heavy-metal",
        "death-metal",
        "black-metal",
        "metalcore",
        "grindcore",
      ]),
    );
    expect(g.core).toEqual(["metal"]);
    expect(g.labels).not.toContain("rock");
  });

  it("latin songs to dance to -> danceability >= 0.7 and the latin family", async () => {
    const p = await plan("latin songs to dance to");
    expect(rangeOn(p, "danceability")).toMatchObject({ min: 0.7, hard: true });
    const g = genreWith(p, "latin");
    expect(g.labels).toEqual(expect.arrayContaining(["latin", "latino", "reggaeton", "salsa"]));
  });

  it("obscure melancholic indie -> popularity <= 25, valence <= 0.35, indie family", async () => {
    const p = await plan("obscure melancholic indie");
    expect(rangeOn(p, "popularity")).toMatchObject({ max: 25, hard: true });
    expect(rangeOn(p, "valence")).toMatchObject({ max: 0.35, hard: true });
    expect(genreWith(p, "indie").labels).toEqual(expect.arrayContaining(["indie", "indie-pop"]));
  });

  it("popular dance hits -> popularity >= 60 (once) and dance", async () => {
    const p = await plan("popular dance hits");
    expect(rangeOn(p, "popularity")).toMatchObject({ min: 60, hard: true });
    const dance =
      genresOf(p).some((g) => g.labels.includes("dance")) || rangesOn(p, "danceability").length > 0;
    expect(dance).toBe(true);
  });

  it("rock but not metal -> rock wanted, the metal family excluded", async () => {
    const p = await plan("rock but not metal");
    expect(genreWith(p, "rock").exclude).toBeFalsy();
    const ex = genresOf(p).filter((g) => g.exclude);
    expect(ex).toHaveLength(1);
    expect(ex[0]?.labels).toEqual(expect.arrayContaining(["metal", "death-metal"]));
    expect(p.semanticText).not.toMatch(/metal/);
  });

  it("jazz and blues -> two genre constraints", async () => {
    const p = await plan("jazz and blues");
    expect(genreWith(p, "jazz").hard).toBe(true);
    expect(genreWith(p, "blues").hard).toBe(true);
  });
});

describe("planQuery: activities", () => {
  it("music for studying -> only soft constraints: instrumental, calm, study genres", async () => {
    const p = await plan("music for studying");
    expect(p.constraints.length).toBeGreaterThanOrEqual(3);
    expect(p.constraints.every((c) => !c.hard)).toBe(true);
    expect(p.constraints.every((c) => c.source.kind === "activity")).toBe(true);
    expect(rangeOn(p, "instrumentalness").min).toBeGreaterThan(0);
    expect(rangeOn(p, "energy").max).toBeDefined();
    const g = genresOf(p);
    expect(g).toHaveLength(1);
    expect(g[0]?.labels).toEqual(expect.arrayContaining(["study", "ambient", "classical"]));
  });

  it("activity constraints rank below plain words in relaxation priority", async () => {
    const p = await plan("sad music for studying");
    const sad = rangeOn(p, "valence");
    const activity = p.constraints.filter((c) => c.source.kind === "activity");
    expect(activity.length).toBeGreaterThan(0);
    for (const a of activity) expect(a.priority).toBeLessThan(sad.priority);
  });

  it("instrumental music for sleeping: the hard word stays hard next to soft activity words", async () => {
    const p = await plan("instrumental music for sleeping");
    const inst = rangesOn(p, "instrumentalness");
    expect(inst.some((c) => c.hard && c.min === 0.5)).toBe(true);
    const energy = rangeOn(p, "energy");
    expect(energy).toMatchObject({ max: 0.25, hard: false });
  });
});

describe("planQuery: artists", () => {
  it.each([
    ["blink-182 songs", "blink-182"],
    ["blink 182 songs", "blink-182"],
    ["songs by My Chemical Romance", "My Chemical Romance"],
    ["fast songs by radiohead", "Radiohead"],
    ["Radiohead", "Radiohead"],
    ["songs by Happy", "Happy"],
  ])("%s -> artist %s, hard, no artist cap", async (q, name) => {
    const p = await plan(q);
    const artists = ofType(p, "artist");
    expect(artists).toHaveLength(1);
    expect(artists[0]).toMatchObject({ names: [name], norms: [normName(name)], hard: true });
    expect(artists[0]?.exclude).toBeFalsy();
    expect(p.artistCap).toBeNull();
    expect(p.freeWords).toEqual([]);
  });

  it("fast songs by radiohead keeps the tempo word", async () => {
    const p = await plan("fast songs by radiohead");
    expect(rangeOn(p, "tempo").min).toBe(130);
  });

  it("happy songs -> the mood, not the artist called Happy; artist cap stays", async () => {
    const p = await plan("happy songs");
    expect(ofType(p, "artist")).toHaveLength(0);
    expect(rangeOn(p, "valence")).toMatchObject({ min: 0.65, hard: true });
    expect(p.artistCap).toBe(3);
  });

  it("a query without an artist keeps the default cap of 3 and collapses versions", async () => {
    const p = await plan("sad techno");
    expect(p.artistCap).toBe(3);
    expect(p.collapseVersions).toBe(true);
    expect(p.reference).toBeNull();
    expect(p.transform).toBeNull();
  });
});

describe("planQuery: references", () => {
  it("songs similar to Helena by My Chemical Romance -> that track, its genres, not itself", async () => {
    const p = await plan("songs similar to Helena by My Chemical Romance");
    expect(p.reference).toMatchObject({
      kind: "track",
      name: "Helena",
      artists: ["My Chemical Romance"],
      rowids: [HELENA.rowid],
    });
    expect(p.semanticText).toBe("");
    const notSong = ofType(p, "not_song");
    expect(notSong).toHaveLength(1);
    expect(notSong[0]).toMatchObject({ key: songKey(["My Chemical Romance"], "Helena"), hard: true });
    expect(notSong[0]?.source.kind).toBe("reference");
    const g = genresOf(p).filter((x) => x.hard);
    expect(g).toHaveLength(1);
    expect([...(g[0]?.labels ?? [])].sort()).toEqual(["emo", "punk"]);
    expect(g[0]?.source.kind).toBe("reference");
    // The sound of the reference: ranges around its values, relaxed before genres and words.
    const energy = rangeOn(p, "energy");
    expect(energy.source.kind).toBe("reference");
    expect(energy.priority).toBeLessThan(g[0]?.priority ?? 0);
    expect(energy.min).toBeLessThanOrEqual(0.9);
    expect(energy.max).toBeGreaterThanOrEqual(0.9);
    const tempo = rangeOn(p, "tempo");
    expect(tempo.hard).toBe(false);
    expect(tempo.octave).toBe(true);
    expect(tempo.min).toBeLessThanOrEqual(150);
    expect(tempo.max).toBeGreaterThanOrEqual(150);
    // "by My Chemical Romance" names the reference, not an artist filter.
    expect(ofType(p, "artist")).toHaveLength(0);
  });

  it("songs like Radiohead -> the artist as reference, Radiohead itself left out", async () => {
    const p = await plan("songs like Radiohead");
    expect(p.reference).toMatchObject({ kind: "artist", name: "Radiohead" });
    expect(p.reference?.rowids).toHaveLength(3);
    expect(p.semanticText).toBe("");
    const a = ofType(p, "artist");
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ names: ["Radiohead"], exclude: true, hard: true });
    expect(genresOf(p)[0]?.labels).toEqual(expect.arrayContaining(["alt-rock"]));
  });

  it("I like sad songs -> 'like' is not a reference", async () => {
    const p = await plan("I like sad songs");
    expect(p.reference).toBeNull();
    expect(rangeOn(p, "valence").max).toBe(0.35);
  });
});

describe("planQuery: transforms", () => {
  it("indie songs that would sound good as hardstyle -> indie, shaped by hardstyle's measured sound", async () => {
    const ctx = fakeContext();
    const p = await plan("indie songs that would sound good as hardstyle", ctx);
    expect(p.transform).toMatchObject({ target: "hardstyle", profile: HARDSTYLE_PROFILE });
    expect(p.transform?.labels).toContain("hardstyle");
    expect(ctx.profileCalls).toContainEqual(expect.objectContaining({ genres: ["hardstyle"] }));
    const tempo = rangeOn(p, "tempo");
    expect(tempo).toMatchObject({
      min: 140,
      max: 160,
      octave: true,
      hard: true,
      source: { kind: "profile" },
    });
    const energy = rangeOn(p, "energy");
    expect(energy.hard).toBe(false);
    expect(energy.min).toBeLessThanOrEqual(0.7);
    const indie = genreWith(p, "indie");
    expect(indie.hard).toBe(true);
    // The target genre shapes the sound; it is not a filter on the results.
    expect(genresOf(p).some((g) => g.labels.includes("hardstyle"))).toBe(false);
    expect(p.freeWords).toEqual([]);
  });

  it("emo that would work well as drum and bass -> a note when the target has no tracks to measure", async () => {
    const p = await plan("emo that would work well as drum and bass");
    expect(p.transform?.target).toBe("drum-and-bass");
    expect(p.transform?.profile).toBeNull();
    expect(p.notes.some((n) => /drum-and-bass/.test(n))).toBe(true);
    expect(genreWith(p, "emo").hard).toBe(true);
    expect(genresOf(p).some((g) => g.labels.includes("drum-and-bass"))).toBe(false);
  });

  it("hardstyle remix of emo songs -> hardstyle genre (hard), a soft remix title, emo as the source", async () => {
    const ctx = fakeContext();
    const p = await plan("hardstyle remix of emo songs", ctx);
    expect(p.transform?.target).toBe("hardstyle");
    expect(genreWith(p, "hardstyle").hard).toBe(true);
    const title = ofType(p, "title");
    expect(title).toHaveLength(1);
    expect(title[0]?.hard).toBe(false);
    expect(title[0]?.words).toContain("remix");
    // Emo is what is remixed: it shapes the mood to aim for, it does not filter the results.
    expect(p.constraints.filter((c) => c.type === "genre").map((c) => (c as GenreConstraint).labels)).toEqual(
      [["hardstyle"]],
    );
    // Its mood comes from the emo tracks' profile (this fake catalog has none) and from what "emo" says: sad.
    expect(ctx.profileCalls).toContainEqual(
      expect.objectContaining({ genres: expect.arrayContaining(["emo"]) }),
    );
    expect(p.constraints.filter((c) => c.type === "range")).toEqual([
      expect.objectContaining({
        field: "valence",
        max: 0.45,
        hard: false,
        source: { kind: "synonym", text: "emo" },
      }),
    ]);
  });
});

describe("planQuery: grounding", () => {
  const groundings = {
    stompers: { concept: "energetic", similarity: 0.6234 },
    gazecore: { concept: "alt rock", similarity: 0.58 },
  };

  it("an unknown word grounded to a concept gives a soft constraint with its similarity", async () => {
    const ctx = fakeContext({ groundings });
    const p = await plan("techno stompers", ctx);
    const energy = rangeOn(p, "energy");
    expect(energy).toMatchObject({
      min: 0.7,
      hard: false,
      source: { kind: "grounded", text: "stompers", concept: "energetic", similarity: 0.623 },
    });
    expect(energy.label).toMatch(/stompers/);
    expect(genreWith(p, "techno").hard).toBe(true);
    // Only the words the tables lack are grounded.
    expect(ctx.groundCalls).toEqual([["stompers"]]);
    expect(p.freeWords).toEqual([]);
  });

  it("grounded constraints are relaxed before any word", async () => {
    const p = await plan("sad stompers", fakeContext({ groundings }));
    const grounded = p.constraints.find((c) => c.source.kind === "grounded");
    const sad = rangeOn(p, "valence");
    expect(grounded?.priority).toBeLessThan(sad.priority);
  });

  it("an unknown word grounded to a genre gives a soft genre constraint", async () => {
    const p = await plan("gazecore", fakeContext({ groundings }));
    const g = genreWith(p, "alt-rock");
    expect(g.hard).toBe(false);
    expect(g.source).toMatchObject({ kind: "grounded", concept: "alt rock", similarity: 0.58 });
  });

  it("words neither known nor grounded stay free words, still in the semantic text", async () => {
    const p = await plan("techno stompers zorblax", fakeContext({ groundings }));
    expect(p.freeWords).toEqual(["zorblax"]);
    expect(p.semanticText).toMatch(/zorblax/);
  });

  it("without a grounder every unknown word is a free word", async () => {
    const p = await plan("techno stompers");
    expect(p.freeWords).toEqual(["stompers"]);
    expect(p.constraints.some((c) => c.source.kind === "grounded")).toBe(false);
    expect(rangesOn(p, "energy")).toHaveLength(0);
  });
});

describe("planQuery: versions and options", () => {
  it("acoustic covers -> a soft title preference for covers, still one version per song", async () => {
    const p = await plan("acoustic covers");
    const t = ofType(p, "title");
    expect(t).toHaveLength(1);
    expect(t[0]?.hard).toBe(false);
    expect(t[0]?.words).toContain("cover");
    expect(p.collapseVersions).toBe(true);
  });

  it("option constraints come first and are kept as given", async () => {
    const option: RangeConstraint = {
      type: "range",
      field: "tempo",
      min: 100,
      label: "tempo 100..",
      hard: true,
      priority: 100,
      source: { kind: "option", text: "--tempo" },
    };
    const p = await planQuery("very fast sad techno", fakeContext(), { optionConstraints: [option] });
    expect(p.constraints[0]).toBe(option);
    const tempos = rangesOn(p, "tempo");
    expect(tempos).toHaveLength(2);
    expect(tempos.find((c) => c.source.kind === "word")).toMatchObject({ min: 150, hard: true });
  });
});

describe("lyrics themes", () => {
  const withLyrics = (): PlanContext => ({ ...fakeContext(), hasLyrics: true });
  const themes = (p: QueryPlan) =>
    p.constraints.flatMap((c) => (c.type === "theme" ? [{ id: c.id, theme: c.theme, hard: c.hard }] : []));

  it("reads 'songs about X' as a soft theme constraint with a stable id, from lyrics themes", async () => {
    const p = await plan("songs about heartbreak", withLyrics());
    expect(themes(p)).toEqual([{ id: "lyrics-heartbreak", theme: "heartbreak", hard: false }]);
    const c = p.constraints.find((x) => x.type === "theme");
    expect(c).toMatchObject({
      label: "lyrics: heartbreak",
      source: { kind: "lyrics themes", text: "about heartbreak" },
    });
    expect(p.freeWords).not.toContain("heartbreak");
  });

  it("reads synonyms, plurals, lists and the 'lyrics' cue", async () => {
    expect(themes(await plan("lyrics about the ocean", withLyrics())).map((t) => t.theme)).toEqual([
      "the sea",
    ]);
    expect(themes(await plan("songs about breakups", withLyrics())).map((t) => t.theme)).toEqual([
      "heartbreak",
    ]);
    expect(themes(await plan("songs about love and heartbreak", withLyrics())).map((t) => t.theme)).toEqual([
      "love",
      "heartbreak",
    ]);
    expect(themes(await plan("christmas lyrics", withLyrics())).map((t) => t.theme)).toEqual(["christmas"]);
    expect(themes(await plan("lyrics on death", withLyrics())).map((t) => t.theme)).toEqual(["death"]);
  });

  it("keeps the other words of the query: 'sad songs about love' is sad (hard) and lyrics about love (soft)", async () => {
    const p = await plan("sad songs about love", withLyrics());
    expect(themes(p).map((t) => t.theme)).toEqual(["love"]);
    expect(rangesOn(p, "valence")).toEqual([expect.objectContaining({ max: 0.35, hard: true })]);
  });

  it("needs a cue: a bare theme word keeps its old meaning", async () => {
    const withCue = await plan("party songs", withLyrics());
    const without = await plan("party songs");
    expect(themes(withCue)).toEqual([]);
    expect(withCue.constraints).toEqual(without.constraints);
    expect(themes(await plan("songs about nothing", withLyrics()))).toEqual([]);
  });

  it("reads theme words as before when the catalog has no lyrics", async () => {
    for (const q of ["songs about heartbreak", "sad songs about love", "lyrics about the ocean"]) {
      const p = await plan(q);
      expect(themes(p)).toEqual([]);
      expect(p.constraints).toEqual((await plan(q, { ...fakeContext(), hasLyrics: false })).constraints);
    }
  });
});

describe("planQuery: LLM tags", () => {
  const tagged = () => ({ ...fakeContext(), hasLlmTags: true });

  it("a tag word is a soft preference from LLM tags with a stable id, when the catalog has tags", async () => {
    const p = await plan("dreamy techno", tagged());
    expect(p.llmTags).toEqual(["dreamy"]);
    expect(ofType(p, "llm_tag")).toEqual([
      {
        type: "llm_tag",
        tag: "dreamy",
        id: "llm-tag-dreamy",
        label: "LLM tag dreamy",
        hard: false,
        priority: 2,
        source: { kind: "llm-tag", text: "dreamy" },
      },
    ]);
    // The words stay for the other stages: "techno" is still a genre.
    expect(genresOf(p).map((g) => g.core)).toEqual([["techno"]]);
  });

  it("adds to, and never replaces, what the word means elsewhere", async () => {
    const p = await plan("calm piano", tagged());
    expect(ofType(p, "llm_tag").map((c) => c.tag)).toEqual(["calm"]);
    expect(rangesOn(p, "energy").length).toBeGreaterThan(0);
  });

  it.each(["not dreamy techno", "techno that isnt too dreamy", "no calm songs"])(
    "%s: a negated tag is no preference",
    async (q) => {
      const p = await plan(q, tagged());
      expect(ofType(p, "llm_tag")).toEqual([]);
      expect(p.llmTags).toBeUndefined();
    },
  );

  it("a negator before another word does not reach the tag", async () => {
    const p = await plan("not sad but dreamy", tagged());
    expect(ofType(p, "llm_tag").map((c) => c.tag)).toEqual(["dreamy"]);
  });

  it("reads tags no word table knows, several words long, and their negation", async () => {
    // "shoegaze" and "dream pop" are only in the tag vocabulary, so the phrase loop does not negate them.
    const p = await plan("dream pop but not really shoegaze", tagged());
    expect(ofType(p, "llm_tag").map((c) => c.id)).toEqual(["llm-tag-dream-pop"]);
    expect(p.llmTags).toEqual(["dream pop"]);
  });

  it.each(["dreamy techno", "calm piano", "not sad but dreamy", "dark techno with high energy"])(
    "%s: without tags in the catalog, the plan is exactly as before",
    async (q) => {
      const without = await plan(q);
      expect(ofType(without, "llm_tag")).toEqual([]);
      expect(without.llmTags).toBeUndefined();
      const untagged = await plan(q, { ...fakeContext(), hasLlmTags: false });
      expect(untagged).toEqual(without);
      const withTags = await plan(q, tagged());
      expect(withTags.constraints.filter((c) => c.type !== "llm_tag")).toEqual(without.constraints);
    },
  );
});
