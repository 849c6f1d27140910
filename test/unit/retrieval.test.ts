import { describe, expect, it } from "vitest";
import { type GenreConstraint, optionConstraints } from "../../src/query/plan.js";
import { retrievalFilters } from "../../src/search/search.js";
import { CLEAN, NOT_HELENA, NOT_RADIOHEAD, planOf, rangeConstraint } from "../helpers.js";

const range = rangeConstraint;

function genre(labels: string[], over: Partial<GenreConstraint> = {}): GenreConstraint {
  return {
    type: "genre",
    labels,
    core: labels.slice(0, 1),
    label: `genre ${labels[0]}`,
    hard: true,
    priority: 6,
    source: { kind: "word", text: labels[0] ?? "" },
    ...over,
  };
}

const TECHNO = ["techno", "detroit-techno", "minimal-techno"];
const HOUSE = ["house", "deep-house"];

describe("retrievalFilters", () => {
  it("turns hard ranges into filters", () => {
    const { base, octave, post } = retrievalFilters(
      planOf([range({ field: "energy", min: 0.7 }), range({ field: "valence", max: 0.35 })]),
    );
    expect(base.ranges).toEqual({ energy: { min: 0.7 }, valence: { max: 0.35 } });
    expect(octave).toEqual([]);
    expect(post).toEqual([]);
    expect(base.genres).toBeUndefined();
    expect(base.artists).toBeUndefined();
    expect(base.explicit).toBeUndefined();
  });

  it("intersects two hard ranges on one field", () => {
    const { base } = retrievalFilters(
      planOf([
        range({ field: "tempo", min: 120, max: 180 }),
        range({ field: "tempo", min: 130 }),
        range({ field: "tempo", max: 150 }),
      ]),
    );
    expect(base.ranges?.tempo).toEqual({ min: 130, max: 150 });
  });

  it("leaves soft and relaxed ranges out", () => {
    const { base, post } = retrievalFilters(
      planOf([
        range({ field: "energy", min: 0.7, hard: false }),
        range({ field: "valence", max: 0.35, hard: false, relaxed: true }),
        range({ field: "tempo", min: 130 }),
      ]),
    );
    expect(base.ranges).toEqual({ tempo: { min: 130 } });
    expect(post).toEqual([]);
  });

  it("returns octave ranges separately, not as a plain tempo filter", () => {
    const octaveTempo = range({ field: "tempo", min: 165, max: 175, octave: true });
    const { base, octave } = retrievalFilters(planOf([octaveTempo, range({ field: "energy", min: 0.5 })]));
    expect(octave).toEqual([octaveTempo]);
    expect(base.ranges?.tempo).toBeUndefined();
    expect(base.ranges?.energy).toEqual({ min: 0.5 });
  });

  it("sends genre exclusions, artist exclusions and not_song to post", () => {
    const notMetal = genre(["metal", "death-metal"], { exclude: true, label: "not genre metal" });
    const { base, post } = retrievalFilters(planOf([notMetal, NOT_RADIOHEAD, NOT_HELENA, genre(["rock"])]));
    expect(post).toEqual([notMetal, NOT_RADIOHEAD, NOT_HELENA]);
    expect(base.genres).toEqual(["rock"]);
    expect(base.artists).toBeUndefined();
  });

  it("pushes a wanted artist and the explicit flag into the filters", () => {
    const { base, post } = retrievalFilters(
      planOf([
        {
          type: "artist",
          names: ["blink-182"],
          norms: ["blink 182"],
          label: "by blink-182",
          hard: true,
          priority: 7,
          source: { kind: "word", text: "blink 182" },
        },
        CLEAN,
      ]),
    );
    expect(base.artists).toEqual(["blink 182"]);
    expect(base.explicit).toBe(false);
    expect(post).toEqual([]);
  });

  it("a soft explicit or soft genre is not a filter", () => {
    const { base } = retrievalFilters(
      planOf([
        {
          type: "explicit",
          value: true,
          label: "explicit",
          hard: false,
          priority: 4,
          source: { kind: "word", text: "x" },
        },
        genre(TECHNO, { hard: false }),
      ]),
    );
    expect(base.explicit).toBeUndefined();
    expect(base.genres).toBeUndefined();
  });

  it("unions several genres named in words", () => {
    const { base } = retrievalFilters(planOf([genre(TECHNO), genre(HOUSE), genre(["techno", "trance"])]));
    expect([...(base.genres ?? [])].sort()).toEqual(
      ["deep-house", "detroit-techno", "house", "minimal-techno", "techno", "trance"].sort(),
    );
  });

  it("intersects an option genre with the word genres", () => {
    const option = genre(["techno", "house"], { source: { kind: "option", text: "--genre" }, priority: 100 });
    const { base } = retrievalFilters(planOf([option, genre(TECHNO)]));
    expect(base.genres).toEqual(["techno"]);
  });

  it("keeps the option genre when words name none of it", () => {
    const option = genre(["jazz"], { source: { kind: "option", text: "--genre" }, priority: 100 });
    const { base } = retrievalFilters(planOf([option, genre(TECHNO)]));
    expect(base.genres).toEqual(["jazz"]);
  });

  it("an option genre alone is the filter", () => {
    const option = genre(["jazz", "blues"], { source: { kind: "option", text: "--genre" }, priority: 100 });
    expect(retrievalFilters(planOf([option])).base.genres).toEqual(["jazz", "blues"]);
  });

  it("works on the constraints optionConstraints builds", () => {
    const { base } = retrievalFilters(
      planOf([
        ...optionConstraints({ ranges: { tempo: { min: 100 } }, genres: ["techno"], explicit: true }),
        range({ field: "tempo", min: 150 }),
      ]),
    );
    expect(base.ranges?.tempo).toEqual({ min: 150 });
    expect(base.genres).toEqual(["techno"]);
    expect(base.explicit).toBe(true);
  });
});

describe("optionConstraints", () => {
  it("gives hard constraints with priority 100 and source kind option", () => {
    const cs = optionConstraints({
      ranges: { tempo: { min: 120, max: 130 }, duration_ms: { max: 180_000 } },
      genres: ["techno", "house"],
      explicit: false,
    });
    expect(cs).toHaveLength(4);
    for (const c of cs) {
      expect(c.hard).toBe(true);
      expect(c.priority).toBe(100);
      expect(c.source.kind).toBe("option");
      expect(c.relaxed).toBeUndefined();
    }
    expect(cs).toContainEqual(
      expect.objectContaining({
        type: "range",
        field: "tempo",
        min: 120,
        max: 130,
        source: { kind: "option", text: "--tempo" },
      }),
    );
    expect(cs).toContainEqual(
      expect.objectContaining({
        type: "range",
        field: "duration_ms",
        max: 180_000,
        source: { kind: "option", text: "--duration-ms" },
      }),
    );
    expect(cs).toContainEqual(
      expect.objectContaining({ type: "genre", labels: ["techno", "house"], core: ["techno", "house"] }),
    );
    expect(cs).toContainEqual(
      expect.objectContaining({
        type: "explicit",
        value: false,
        source: { kind: "option", text: "--no-explicit" },
      }),
    );
  });

  it("gives nothing for no filters", () => {
    expect(optionConstraints({})).toEqual([]);
  });

  it("--explicit", () => {
    expect(optionConstraints({ explicit: true })).toEqual([
      expect.objectContaining({
        type: "explicit",
        value: true,
        source: { kind: "option", text: "--explicit" },
      }),
    ]);
  });
});
