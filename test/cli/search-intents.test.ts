import { describe, expect, it } from "vitest";
import type { PlannedResult } from "../../src/search/search.js";
import { generatedCatalog } from "../helpers.js";

interface Out {
  plan: {
    constraints: Array<{
      id: string;
      label: string;
      hard: boolean;
      field?: string;
      max?: number;
      relaxed?: boolean;
      source: { kind: string; text: string };
    }>;
    notes: string[];
  };
  results: PlannedResult[];
}

// New intents through `spotivec search --json` on a generated catalog (10 labels, 97 artists, hash embedder).
describe("spotivec search: taxonomy genres, comparatives, named artists", () => {
  const { search } = generatedCatalog<Out>("intents");

  it("bebop (no label here): a soft jazz preference from the taxonomy, said in the plan", async () => {
    const { plan, results } = await search("bebop");
    const genre = plan.constraints.find((c) => c.source.kind === "taxonomy");
    expect(genre).toMatchObject({ hard: false, label: "genre bebop" });
    expect(plan.notes.join("\n")).toMatch(/bebop is not a label in this catalog: preferring jazz \(taxonomy/);
    expect(results.length).toBe(10);
    expect(results[0]?.genres).toContain("jazz");
  });

  it("calmer jazz: energy below the catalog's jazz median, every result jazz and under it", async () => {
    const { plan, results } = await search("calmer jazz");
    const energy = plan.constraints.find((c) => c.field === "energy");
    expect(energy).toMatchObject({ hard: true, source: { kind: "comparative", text: "calmer" } });
    expect(plan.notes.join("\n")).toMatch(/"calmer": energy below the catalog's median for jazz/);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.genres).toContain("jazz");
      if (!energy?.relaxed) expect(r.features.energy).toBeLessThanOrEqual(energy?.max ?? 0);
    }
  });

  it("tracks by one artist: only theirs, fewer than asked, with a note; never relaxed", async () => {
    const { plan, results } = await search("tracks by Artist 5", 20);
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThan(20);
    for (const r of results) expect(r.artists).toEqual(["Artist 5"]);
    expect(plan.constraints.find((c) => c.label === "by Artist 5")?.relaxed).toBeFalsy();
    expect(plan.notes.join("\n")).toMatch(new RegExp(`only ${results.length} tracks by Artist 5`));
  });
});
