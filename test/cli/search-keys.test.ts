import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResult } from "../../src/search/search.js";
import { cli, tempDir, writeGeneratedCatalog } from "../helpers.js";

interface Out {
  plan: {
    constraints: Array<{ id: string; label: string; field?: string; relaxed?: boolean }>;
    notes: string[];
  };
  results: PlannedResult[];
}

// Keys, modes and meters through `spotivec search --json`, on a generated catalog (random keys and modes, 4/4).
describe("spotivec search: keys and meters", () => {
  const dir = tempDir();
  const db = join(dir, "keys.db");

  beforeAll(async () => {
    writeGeneratedCatalog(join(dir, "gen.csv"), 400);
    const r = await cli(["ingest", join(dir, "gen.csv"), "--db", db, "--model", "hash", "--json"]);
    expect(r.code).toBe(0);
  });

  const search = async (q: string) => {
    const r = await cli(["search", q, "--db", db, "--json", "--limit", "10"]);
    expect(r.code).toBe(0);
    return r.json<Out>();
  };

  it.each([
    ["songs in A minor", 9, 0],
    ["track number in 8B", 0, 1],
    ["F# major songs", 6, 1],
  ])("%s: every result is in that key and mode", async (q, key, mode) => {
    const { plan, results } = await search(q);
    expect(plan.constraints.map((c) => c.id)).toEqual(expect.arrayContaining(["key-band", "mode-band"]));
    expect(plan.constraints.some((c) => c.relaxed)).toBe(false);
    expect(results).toHaveLength(10);
    for (const r of results) expect([r.features.key, r.features.mode]).toEqual([key, mode]);
  });

  it("in 4/4: every result has 4 beats per bar; a waltz in a 4/4-only catalog is relaxed, with a note", async () => {
    const common = await search("songs in 4/4");
    expect(common.plan.constraints).toContainEqual(expect.objectContaining({ id: "time-signature-band" }));
    for (const r of common.results) expect(r.features.time_signature).toBe(4);
    const waltz = await search("waltz");
    expect(waltz.plan.constraints).toContainEqual(
      expect.objectContaining({ id: "time-signature-band", label: "3/4 time", relaxed: true }),
    );
    expect(waltz.plan.notes.join("\n")).toMatch(/3\/4 time/);
  });
});
