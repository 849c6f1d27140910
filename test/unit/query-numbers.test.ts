import { describe, expect, it } from "vitest";
import { buildPhraseTable } from "../../src/query/phrases.js";
import { NUMBER_RULES, readNumbers } from "../../src/query/stages/numbers.js";
import { PlanState } from "../../src/query/state.js";
import type { PlanContext, RangeConstraint } from "../../src/query/types.js";
import { NUMBER_WORDS } from "../../src/query/vocabulary.js";

function read(query: string, hasYears = true): PlanState {
  const ctx: PlanContext = {
    genreLabels: [],
    hasYears,
    findArtist: () => null,
    findTitles: () => [],
    artistTracks: () => [],
    profile: () => null,
  };
  const s = new PlanState(query, ctx, buildPhraseTable([]));
  readNumbers(s);
  return s;
}

const ranges = (s: PlanState) => s.plan.constraints as RangeConstraint[];

describe("number rules", () => {
  it("read every whole number word of the vocabulary", () => {
    for (const [word, n] of Object.entries(NUMBER_WORDS)) {
      if (!Number.isInteger(n)) continue;
      const [c] = ranges(read(`under ${word} minutes`));
      expect(c?.max, word).toBe(n * 60_000);
    }
  });

  it("read a half only after a whole number", () => {
    expect(ranges(read("under two and a half minutes"))[0]?.max).toBe(150_000);
    expect(read("under half minutes").plan.constraints).toEqual([]);
  });

  it("run in order: an earlier rule takes the words first", () => {
    const s = read("between 120 and 130 bpm");
    expect(ranges(s)).toHaveLength(1);
    expect(ranges(s)[0]).toMatchObject({ field: "tempo", min: 120, max: 130, label: "120-130 BPM" });
  });

  it("claim the words of a match, and leave words free when a rule declines", () => {
    const s = read("0 minutes around 128 bpm");
    expect(ranges(s).map((c) => c.field)).toEqual(["tempo"]);
    expect(s.unclaimed().map((t) => t.text)).toEqual(["0", "minutes"]);
  });

  it("note years the catalog cannot filter on, and still take their words", () => {
    const s = read("80s rock", false);
    expect(s.plan.constraints).toEqual([]);
    expect(s.plan.notes[0]).toMatch(/"80s" ignored/);
    expect(s.unclaimed().map((t) => t.text)).toEqual(["rock"]);
  });

  it("give ranges without an ideal for years", () => {
    expect(ranges(read("before 1980"))[0]).toEqual({
      type: "range",
      field: "year",
      max: 1979,
      min: undefined,
      label: "before 1980",
      hard: true,
      priority: 5,
      source: { kind: "number", text: "before 1980" },
    });
    expect("ideal" in (ranges(read("before 1980"))[0] as object)).toBe(false);
  });

  it("are all global patterns (the loop reads every match)", () => {
    for (const r of NUMBER_RULES) expect(r.pattern.flags).toContain("g");
  });
});
