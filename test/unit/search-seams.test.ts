import { describe, expect, it } from "vitest";
import { FIELDS } from "../../src/domain/fields.js";
import { createEmbedder } from "../../src/embed/embedder.js";
import { dot, mean, normalize } from "../../src/embed/vectors.js";
import { resolveLike } from "../../src/likes/likes.js";
import { type Constraint, optionConstraints, type RangeConstraint } from "../../src/query/plan.js";
import { fitWeight, isRelaxable, OPTION_PRIORITY, STATED_PRIORITY } from "../../src/rank/rank.js";
import {
  dropConstraints,
  fitTargets,
  octaveVariants,
  tasteCentres,
  toResult,
} from "../../src/search/search.js";
import type { CatalogReader, StoredTrack } from "../../src/store/types.js";
import { planOf, TRACK_DEFAULTS } from "../helpers.js";

const v = (...xs: number[]) => new Float32Array(xs);

function range(over: Partial<RangeConstraint> & Pick<RangeConstraint, "field">): RangeConstraint {
  return {
    type: "range",
    label: `${over.field} range`,
    hard: true,
    priority: STATED_PRIORITY,
    source: { kind: "word", text: over.field },
    ...over,
  };
}

function stored(over: Partial<StoredTrack> = {}): StoredTrack {
  return {
    ...TRACK_DEFAULTS,
    rowid: 1,
    id: "t1",
    name: "Song",
    artists: ["Artist"],
    artistIds: [],
    album: null,
    genres: [],
    allGenres: [],
    description: null,
    ...over,
  } as StoredTrack;
}

describe("vector math", () => {
  it("dot, normalize and mean agree with cosine geometry", () => {
    expect(dot(v(1, 2, 3), v(4, 5, 6))).toBe(32);
    expect(Array.from(normalize(v(3, 4)))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(normalize(v(0, 0)))).toEqual([0, 0]);
    const m = mean([v(1, 0), v(0, 1)]);
    expect(m[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(dot(m, m)).toBeCloseTo(1, 6);
  });
});

describe("constraint priorities in ranking", () => {
  it("weighs hard constraints fully, stated preferences above implied ones", () => {
    expect(fitWeight({ hard: true, priority: 1 })).toBe(1);
    expect(fitWeight({ hard: false, priority: STATED_PRIORITY })).toBe(0.7);
    expect(fitWeight({ hard: false, priority: STATED_PRIORITY - 1 })).toBe(0.4);
  });

  it("never relaxes options, soft constraints or 'not this song'", () => {
    const [option] = optionConstraints({ ranges: { energy: { min: 0.5 } } });
    expect(option?.priority).toBe(OPTION_PRIORITY);
    expect(isRelaxable(option as Constraint)).toBe(false);
    expect(isRelaxable(range({ field: "energy", min: 0.5 }))).toBe(true);
    expect(isRelaxable(range({ field: "energy", min: 0.5, hard: false }))).toBe(false);
    const notSong: Constraint = {
      type: "not_song",
      key: "a::b",
      label: "not b",
      hard: true,
      priority: 1,
      source: { kind: "word", text: "b" },
    } as Constraint;
    expect(isRelaxable(notSong)).toBe(false);
  });

  it("gives fit targets the same weights as the score", () => {
    const plan = planOf([
      range({ field: "energy", min: 0.7, ideal: 0.9 }),
      range({ field: "valence", max: 0.3, ideal: 0.1, hard: false, priority: 2 }),
    ]);
    expect(fitTargets(plan).map((t) => [t.field, t.direction, t.weight])).toEqual([
      ["energy", "high", 1],
      ["valence", "low", 0.4],
    ]);
  });
});

describe("dropConstraints", () => {
  it("leaves out constraints by id or exact label, noting each", () => {
    const plan = planOf([
      { ...range({ field: "energy", min: 0.7 }), id: "c1", label: "high energy" },
      { ...range({ field: "tempo", min: 120 }), id: "c2", label: "fast" },
      { ...range({ field: "valence", max: 0.3 }), id: "c3", label: "sad" },
    ]);
    dropConstraints(plan, ["c2", "sad"]);
    expect(plan.constraints.map((c) => c.id)).toEqual(["c1"]);
    expect(plan.notes).toEqual(['left out "fast"', 'left out "sad"']);
  });

  it("refuses a name that is not in the plan, leaving the plan as it was", () => {
    const plan = planOf([{ ...range({ field: "energy", min: 0.7 }), id: "c1", label: "high energy" }]);
    expect(() => dropConstraints(plan, ["c9"])).toThrow(/c9/);
    expect(plan.constraints.map((c) => c.id)).toEqual(["c1"]);
  });
});

describe("octaveVariants", () => {
  it("adds half and double time bands, skipping those outside the field's values", () => {
    const tempo = range({ field: "tempo", min: 160, max: 180, octave: true });
    const bands = octaveVariants({ ranges: {} }, [tempo]).map((f) => f.ranges?.tempo);
    // Double time (320..360) is above the highest tempo a track can have.
    expect(bands).toEqual([
      { min: 160, max: 180 },
      { min: 80, max: 90 },
    ]);
  });
});

describe("tasteCentres", () => {
  it("finds one centre per group of likes", () => {
    const a = Array.from({ length: 6 }, (_, i) => normalize(v(1, 0.01 * i, 0)));
    const b = Array.from({ length: 6 }, (_, i) => normalize(v(0, 0.01 * i, 1)));
    const centres = tasteCentres([...a, ...b]);
    expect(centres).toHaveLength(2);
    expect(centres.map((c) => Math.round(c[0] ?? 0)).sort()).toEqual([0, 1]);
    expect(tasteCentres([])).toEqual([]);
  });
});

describe("toResult", () => {
  it("lists every feature of the field table but year, in table order", () => {
    const r = toResult(stored({ explicit: true, durationMs: 123_000 }), 0.123456);
    expect(Object.keys(r.features)).toEqual(FIELDS.filter((f) => f.name !== "year").map((f) => f.name));
    expect(r.features).toMatchObject({ explicit: true, duration_ms: 123_000 });
    expect(r.score).toBe(0.1235);
  });
});

describe("createEmbedder", () => {
  it("chooses the hash test embedder by name, with its width", async () => {
    const e = await createEmbedder("hash-64");
    expect(e.model).toBe("hash-64");
    const [x] = await e.embed(["dark techno"], "query");
    expect(x).toHaveLength(64);
    expect(dot(x as Float32Array, x as Float32Array)).toBeCloseTo(1, 6);
    expect((await createEmbedder("hash")).dims).toBe(256);
  });
});

describe("resolveLike", () => {
  it("needs only the catalog reader", () => {
    const track = stored({ id: "4uLU6hMCjMI75M1A2tKUQC" });
    const catalog = {
      trackById: (id: string) => (id === track.id ? track : null),
    } as unknown as CatalogReader;
    const entry = { kind: "id" as const, line: 1, raw: track.id, id: track.id };
    expect(resolveLike(catalog, entry)).toMatchObject({ status: "matched", how: "id", tracks: [track] });
  });
});
