import { describe, expect, it } from "vitest";
import { buildPhraseTable, PhraseTables } from "../../src/query/phrases.js";
import { emptyPlan, type PlanContext, planQuery, STAGES } from "../../src/query/plan.js";
import { PlanState } from "../../src/query/state.js";
import { normalizeQuery, tokenize } from "../../src/query/tokens.js";

const LABELS = ["techno", "detroit-techno", "hardstyle", "emo", "punk"];

function context(over: Partial<PlanContext> = {}): PlanContext {
  return {
    genreLabels: [...LABELS],
    hasYears: true,
    findArtist: () => null,
    findTitles: () => [],
    artistTracks: () => [],
    profile: () => null,
    ...over,
  };
}

const state = (query: string, ctx = context()) =>
  new PlanState(query, ctx, buildPhraseTable(ctx.genreLabels));

describe("tokens", () => {
  it("normalizes lengths to seconds before punctuation goes", () => {
    expect(normalizeQuery("Under 2:30 min, R&B")).toBe("under 150 seconds r and b");
    expect(normalizeQuery("about 2.5 minutes")).toBe("about 150 seconds");
  });

  it("keeps each word's offsets in the normalized text", () => {
    expect(tokenize("fast sad songs")).toEqual([
      { text: "fast", start: 0, end: 4 },
      { text: "sad", start: 5, end: 8 },
      { text: "songs", start: 9, end: 14 },
    ]);
  });
});

describe("PlanState", () => {
  it("starts from the empty plan with the option constraints", () => {
    const option = {
      type: "explicit" as const,
      value: false,
      label: "clean (not explicit)",
      hard: true,
      priority: 100,
      source: { kind: "option" as const, text: "--no-explicit" },
    };
    const ctx = context();
    const s = new PlanState(" sad songs ", ctx, buildPhraseTable(ctx.genreLabels), [option]);
    expect(s.plan).toEqual({ ...emptyPlan(" sad songs "), constraints: [option] });
    expect(s.plan.semanticText).toBe("sad songs");
  });

  it("claims only the tokens inside a span, and only those `only` accepts", () => {
    const s = state("that would sound good as hardstyle");
    s.claim(25, 34);
    expect(s.unclaimed().map((t) => t.text)).toEqual(["that", "would", "sound", "good", "as"]);
    s.claim(0, s.norm.length, (t) => t.text.startsWith("s"));
    expect(s.unclaimed().map((t) => t.text)).toEqual(["that", "would", "good", "as"]);
    expect(s.isClaimed(2)).toBe(true);
    expect(s.isClaimed(0)).toBe(false);
  });

  it("calls a span free only when it covers a token and none is claimed", () => {
    const s = state("over 140 bpm");
    expect(s.isFree(0, 12)).toBe(true);
    expect(s.isFree(1, 3)).toBe(false);
    s.claim(9, 12);
    expect(s.isFree(0, 12)).toBe(false);
    expect(s.isFree(0, 8)).toBe(true);
  });
});

describe("phrase tables", () => {
  it("memoizes by the labels' content and rebuilds when they change", () => {
    const tables = new PhraseTables();
    const a = tables.for([...LABELS]);
    expect(tables.for([...LABELS])).toBe(a);
    const b = tables.for(["techno"]);
    expect(b).not.toBe(a);
    // Without the label, hardstyle is at most a taxonomy genre read as the labels there are.
    const without = b.map.get("hardstyle");
    expect(without?.kind === "genre" ? without.core : []).not.toContain("hardstyle");
    const withLabel = a.map.get("hardstyle");
    expect(withLabel?.kind === "genre" ? withLabel.core : []).toEqual(["hardstyle"]);
  });

  it("plans a query the same way twice, even after the first plan is changed", async () => {
    const phrases = new PhraseTables();
    const first = await planQuery("sad techno", context(), { phrases });
    const before = structuredClone(first);
    for (const c of first.constraints) if (c.type === "genre") c.labels.push("changed");
    expect(await planQuery("sad techno", context(), { phrases })).toEqual(before);
  });
});

describe("stages", () => {
  it("run in the documented order", () => {
    expect(STAGES.map((s) => s.name)).toEqual([
      "personal",
      "transform",
      "reference",
      "themes",
      "comparatives",
      "harmonic",
      "artists",
      "keys",
      "numbers",
      "words",
      "llm tags",
      "relative length",
      "words over reference",
      "comparative targets",
      "negated words",
      "octave tempo",
      "grounding",
      "artist cap",
    ]);
  });

  it("skip the reference after a transform, and artists after a reference", () => {
    const skips = (name: string) => STAGES.find((s) => s.name === name)?.skipWhen;
    const s = state("punk as hardstyle");
    expect(skips("reference")?.(s)).toBe(false);
    s.plan.transform = { target: "hardstyle", labels: ["hardstyle"], profile: null };
    expect(skips("reference")?.(s)).toBe(true);
    expect(skips("artists")?.(s)).toBe(false);
    s.plan.reference = { kind: "artist", name: "X", artists: ["X"], rowids: [1] };
    expect(skips("artists")?.(s)).toBe(true);
  });

  it('a transform keeps "like X" in its words from becoming a reference', async () => {
    const someone = { rowid: 1, name: "t", artists: ["Someone"], allGenres: [], energy: 0.5 } as unknown;
    const ctx = context({
      findArtist: () => "Someone",
      artistTracks: () => [someone as ReturnType<PlanContext["artistTracks"]>[number]],
    });
    const p = await planQuery("songs like emo that would sound good as hardstyle", ctx);
    expect(p.transform?.target).toBe("hardstyle");
    expect(p.reference).toBeNull();
  });
});
