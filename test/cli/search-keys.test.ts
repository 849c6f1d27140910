import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embed/embedder.js";
import type { PlannedResult } from "../../src/search/search.js";
import { createApp } from "../../src/server/app.js";
import { createLocalService } from "../../src/server/service.js";
import { openStore } from "../../src/store/store.js";
import { cli, generatedCatalog } from "../helpers.js";

interface Out {
  plan: {
    constraints: Array<{ id: string; label: string; field?: string; relaxed?: boolean }>;
    notes: string[];
  };
  results: PlannedResult[];
}

// Keys, modes and meters through `spotivec search --json`, on a generated catalog (random keys and modes, 4/4).
describe("spotivec search: keys and meters", () => {
  const { search, db, dir } = generatedCatalog<Out>("keys");

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

  it.each([
    [["--key", "F#", "--mode", "minor"], { key: 6, mode: 0 }, ["key F#", "minor key"]],
    [["--key", "Bb"], { key: 10 }, ["key A#"]],
    [["--key", "9", "--mode", "major"], { key: 9, mode: 1 }, ["key A", "major key"]],
    [["--time-signature", "4/4"], { time_signature: 4 }, ["time signature 4/4"]],
  ])("options %j: every result has those values, as hard option constraints", async (args, want, labels) => {
    const r = await cli(["search", "music", ...args, "--db", db, "--json", "--limit", "10"]);
    expect(r.code).toBe(0);
    const { plan, results } = r.json<Out>();
    expect(results.length).toBeGreaterThan(0);
    for (const res of results) expect(res.features).toMatchObject(want);
    const options = plan.constraints.filter((c) => c.id.startsWith("option-"));
    expect(options.map((c) => c.label).sort()).toEqual([...labels].sort());
  });

  it.each([
    ["--key", "H"],
    ["--mode", "dorian"],
    ["--time-signature", "9/8"],
  ])("%s %s is a usage error saying what it accepts", async (flag, value) => {
    const r = await cli(["search", "music", flag, value, "--db", db, "--json"]);
    expect(r.code).toBe(2);
    const { error } = r.json<{ error: { code: string; message: string; got: string } }>();
    expect(error).toMatchObject({ code: "USAGE", message: `Invalid value for ${flag}`, got: `"${value}"` });
  });

  it("the API takes key, mode and time_signature as the CLI does", async () => {
    const store = openStore(db, { readonly: true });
    try {
      const app = createApp(createLocalService(store, await createEmbedder("hash")), {
        genreLabels: () => store.genreLabels(),
        env: { XDG_CONFIG_HOME: join(dir, "config") },
      });
      const res = await app.request("/api/search?q=music&key=F%23&mode=minor&limit=10");
      expect(res.status).toBe(200);
      const body = (await res.json()) as Out;
      const viaCli = await cli(["search", "music", "--key", "F#", "--mode", "minor", "--db", db, "--json"]);
      expect(body).toEqual(viaCli.json());
      for (const r of body.results) expect(r.features).toMatchObject({ key: 6, mode: 0 });
      const bad = await app.request("/api/search?q=music&key=H");
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain("pitch class");
    } finally {
      store.close();
    }
  });

  it("harmonic with a track: every result in one of its Camelot neighbours, the track left out", async () => {
    const { plan, results } = await search("songs harmonic with Track number 7");
    const keys = plan.constraints.find((c) => c.id === "harmonic-keys") as unknown as {
      pairs: Array<{ key: number; mode: number }>;
      relaxed?: boolean;
    };
    expect(keys.pairs).toHaveLength(4);
    expect(keys.relaxed).toBeFalsy();
    expect(results).toHaveLength(10);
    for (const r of results) {
      expect(keys.pairs).toContainEqual({ key: r.features.key, mode: r.features.mode });
      expect(r.name).not.toBe("Track number 7");
    }
  });
});
