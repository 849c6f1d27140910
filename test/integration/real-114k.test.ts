import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import type { IngestSummary } from "../../src/ingest/pipeline.js";
import type { SearchResult } from "../../src/search/search.js";
import { cli, tempDir } from "../helpers.js";
import { MODEL_MISSING, modelAvailable, WITH_MINILM } from "./model.js";

const REAL_114K = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "shared",
  "data",
  "spotify_tracks_dataset_114k.csv.gz",
);
const present = existsSync(REAL_114K);

/** Every 25th row of the real file: a bounded slice (4,560 rows) that still covers all 114 genres. */
function writeSlice(path: string): { rows: string[][]; header: string[] } {
  const text = gunzipSync(readFileSync(REAL_114K)).toString("utf8");
  const parsed = Papa.parse<string[]>(text.trim(), { delimiter: "," });
  const [header, ...all] = parsed.data;
  const rows = all.filter((_, i) => i % 25 === 0);
  writeFileSync(path, Papa.unparse([header as string[], ...rows], { newline: "\n" }));
  return { rows, header: header as string[] };
}

describe.skipIf(!present || !modelAvailable())("a slice of the real 114K dataset", () => {
  const dir = tempDir();
  const csv = join(dir, "slice.csv");
  const db = join(dir, "slice.db");
  let slice: { rows: string[][]; header: string[] };
  let summary: IngestSummary;

  beforeAll(async () => {
    slice = writeSlice(csv);
    const r = await cli(["ingest", csv, "--db", db, ...WITH_MINILM, "--offline", "--json"]);
    expect(r.code).toBe(0);
    summary = r.json<IngestSummary>();
  });

  const col = (name: string) => slice.header.indexOf(name);

  it("accounts for every distinct track id: stored or rejected with a reason", async () => {
    const ids = new Set(slice.rows.map((r) => r[col("track_id")]));
    const info = (await cli(["info", "--db", db, "--json"])).json<{
      tracks: number;
      embedded: number;
      genres: number;
    }>();
    const rejects = existsSync(join(dir, "slice.rejects.jsonl"))
      ? readFileSync(join(dir, "slice.rejects.jsonl"), "utf8").trim().split("\n").filter(Boolean)
      : [];
    expect(summary.rowsRead).toBe(slice.rows.length);
    expect(info.tracks + rejects.length).toBe(ids.size);
    expect(info.embedded).toBe(info.tracks);
    expect(info.genres).toBe(114);
  });

  const search = async (...args: string[]) =>
    (await cli(["search", ...args, "--db", db, "--offline", "--json"])).json<{ results: SearchResult[] }>()
      .results;

  it("honours genre and feature filters on every result", async () => {
    const results = await search(
      "dark techno with high energy",
      "--genre",
      "techno",
      "--genre",
      "minimal-techno",
      "--energy-min",
      "0.7",
      "--limit",
      "10",
    );
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.genres.some((g) => g === "techno" || g === "minimal-techno")).toBe(true);
      expect(r.features.energy).toBeGreaterThanOrEqual(0.7);
    }
    const sadFast = await search("sad songs", "--valence-max", "0.35", "--tempo-min", "130", "--limit", "20");
    expect(sadFast).toHaveLength(20);
    for (const r of sadFast) {
      expect(r.features.valence).toBeLessThanOrEqual(0.35);
      expect(r.features.tempo).toBeGreaterThanOrEqual(130);
    }
  });

  it("ranks tracks whose descriptions match the words first", async () => {
    const piano = await search("solo piano, instrumental", "--limit", "10");
    const pianoish = piano.filter((r) =>
      r.genres.some((g) => ["piano", "classical", "new-age", "study", "sleep", "ambient"].includes(g)),
    );
    expect(pianoish.length).toBeGreaterThanOrEqual(7);
    const comedy = await search("spoken word comedy", "--limit", "10");
    expect(comedy.filter((r) => r.genres.includes("comedy")).length).toBeGreaterThanOrEqual(7);
  });
});

if (!present || !modelAvailable()) {
  describe("a slice of the real 114K dataset", () => {
    it.skip(`skipped: ${!present ? `${REAL_114K} is absent (the real data is not shipped with the project)` : MODEL_MISSING}`, () => {});
  });
}
