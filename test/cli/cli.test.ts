import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { IngestSummary } from "../../src/ingest/pipeline.js";
import type { PlannedResult, SearchResult } from "../../src/search/search.js";
import { openStore } from "../../src/store/store.js";
import {
  cli,
  expectFeatures,
  FIXTURE_IDS,
  ingestFixtures,
  SAMPLE_FILTERS,
  tempDir,
  writeFixtures,
} from "../helpers.js";

// The CLI end to end, in-process, with the lexical "hash" embedder so it runs without a model.
describe("spotivec CLI", () => {
  const dir = tempDir();
  const db = join(dir, "catalog.db");
  const fx = writeFixtures(dir);
  let first: IngestSummary;

  beforeAll(async () => {
    const r = await ingestFixtures(fx, db);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    first = r.json<IngestSummary>();
  });

  it("ingests both layouts, merging repeated ids and rejecting bad rows with file:line and reason", () => {
    expect(first.files.map((f) => f.layout).sort()).toEqual(["artists-600k", "tracks-114k", "tracks-600k"]);
    expect(first.tracks.inserted).toBe(fx.validIds114k.length + fx.validIds600k.length);
    expect(first.tracks.updated).toBe(1); // the techno track seen again under minimal-techno
    expect(first.artists.inserted).toBe(3);
    expect(first.rejected).toBe(fx.badRows114k + fx.badRows600k + 1);
    expect(first.embedded).toBe(first.tracks.inserted);
    const rejects = readFileSync(join(dir, "catalog.rejects.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { file: string; line: number; reason: string });
    expect(rejects.map((r) => `${r.file.split("/").pop()}:${r.line}`).sort()).toEqual(
      [
        "artists.csv:5",
        "dataset.csv:11",
        "dataset.csv:12",
        "dataset.csv:13",
        "dataset.csv:14",
        "dataset.csv:15",
        "tracks.csv:5",
        "tracks.csv:6",
      ].sort(),
    );
    const reasons = rejects.map((r) => r.reason).join("\n");
    for (const words of [
      "missing track_id",
      "missing track_name",
      "energy",
      "valence",
      "quot",
      "release_date",
      "artists",
      "genres",
    ]) {
      expect(reasons).toContain(words);
    }
  });

  it("caches the grounding concepts at ingest, since searches open the database read-only", () => {
    const store = openStore(db, { readonly: true });
    try {
      const model = store.modelInfo()?.model ?? "";
      expect(store.conceptVectors(model).size).toBeGreaterThan(100);
    } finally {
      store.close();
    }
  });

  it("adds nothing and re-embeds nothing the second time", async () => {
    const r = await ingestFixtures(fx, db);
    const again = r.json<IngestSummary>();
    expect(again.tracks.inserted).toBe(0);
    expect(again.tracks.updated).toBe(0);
    expect(again.embedded).toBe(0);
    expect(again.described).toBe(0);
  });

  it("returns JSON results with the documented fields", async () => {
    const r = await cli(["search", "techno", "--db", db, "--json", "--limit", "3"]);
    expect(r.code).toBe(0);
    const { plan, results } = r.json<{ plan: { constraints: unknown[] }; results: PlannedResult[] }>();
    expect(plan.constraints.length).toBeGreaterThan(0);
    expect(results).toHaveLength(3);
    for (const res of results) {
      expect(Object.keys(res).sort()).toEqual(
        ["album", "artists", "features", "genres", "id", "name", "score", "url", "why", "year"].sort(),
      );
      expect(res.why.summary).toBeTypeOf("string");
      expect(res.url).toBe(`https://open.spotify.com/track/${res.id}`);
      expect(res.features.tempo).toBeTypeOf("number");
    }
    const merged = results.find((x) => x.id === FIXTURE_IDS.techno);
    expect(merged?.genres.sort()).toEqual(["minimal-techno", "techno"]);
  });

  it("keeps the pure vector search behind --plain", async () => {
    const r = await cli(["search", "techno", "--db", db, "--json", "--limit", "3", "--plain"]);
    const out = r.json<{ plan: null; results: Array<Record<string, unknown>> }>();
    expect(out.plan).toBeNull();
    expect(out.results).toHaveLength(3);
    expect(out.results[0]).not.toHaveProperty("why");
  });

  it("prints the plan with --explain", async () => {
    const r = await cli(["search", "fast sad techno", "--db", db, "--explain", "--limit", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan for "fast sad techno"');
    expect(r.stdout).toMatch(/hard\s+fast\s+from word "fast"/);
    expect(r.stdout).toMatch(/hard\s+genre techno/);
  });

  it("honours every filter on every result", async () => {
    const r = await cli(["search", "music", "--db", db, "--json", "--limit", "20", ...SAMPLE_FILTERS.flags]);
    const results = r.json<{ results: SearchResult[] }>().results;
    expect(results.length).toBeGreaterThan(0);
    expectFeatures(results, SAMPLE_FILTERS.want);
    expect(results.map((x) => x.id)).not.toContain(FIXTURE_IDS.explicitRap);
  });

  it("filters by genre words, artist genres and years without any text", async () => {
    const byGenre = (await cli(["search", "--genre", "Minimal Techno", "--db", db, "--json"])).json<{
      results: SearchResult[];
    }>().results;
    expect(byGenre.map((x) => x.id)).toEqual([FIXTURE_IDS.techno]);
    const byArtistGenre = (await cli(["search", "--genre", "jazz", "--db", db, "--json"])).json<{
      results: SearchResult[];
    }>().results;
    expect(byArtistGenre.map((x) => x.id)).toContain(FIXTURE_IDS.oldJazz);
    const old = (await cli(["search", "--year-max", "1960", "--db", db, "--json"])).json<{
      results: SearchResult[];
    }>().results;
    expect(old.map((x) => x.id).sort()).toEqual([FIXTURE_IDS.oldBlues, FIXTURE_IDS.oldJazz].sort());
    expect(old.every((x) => x.year !== null && x.year <= 1960)).toBe(true);
  });

  it("explains an unknown genre, a bad number and a missing file", async () => {
    const genre = await cli(["search", "--genre", "tecno", "--db", db, "--json"]);
    expect(genre.code).toBe(2);
    expect(genre.json<{ error: { code: string; got: string } }>().error.got).toContain("techno");
    const num = await cli(["search", "x", "--energy-min", "high", "--db", db]);
    expect(num.code).toBe(2);
    expect(num.stderr).toMatch(/expected: a number from 0 to 1/);
    const missing = await cli(["ingest", join(dir, "nope.csv"), "--db", db, "--model", "hash"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Cannot read");
  });

  it("reports usage errors in the one error shape, with a hint naming the command", async () => {
    const r = await cli(["likes", "list", "--bogus", "--json"]);
    expect(r.code).toBe(2);
    expect(r.json<{ error: { code: string; message: string; hint: string } }>().error).toMatchObject({
      code: "USAGE",
      message: expect.stringContaining("--bogus"),
      hint: expect.stringContaining("spotivec likes list --help"),
    });
    expect(r.stderr).toContain("Usage: spotivec likes list");
    const text = await cli(["search", "--bogus"]);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe("");
    expect(text.stderr).toContain("unknown option '--bogus'");
  });

  it("refuses a file of another layout, naming the columns found", async () => {
    const lyrics = join(dir, "lyrics.csv");
    (await import("node:fs")).writeFileSync(lyrics, "artist,song,link,text\nABBA,Hey,/a,lyrics\n");
    const r = await cli(["ingest", lyrics, "--db", db, "--model", "hash", "--json"]);
    expect(r.code).toBe(1);
    const e = r.json<{ error: { code: string; got: string; expected: string } }>().error;
    expect(e.code).toBe("UNKNOWN_LAYOUT");
    expect(e.got).toContain("artist, song, link, text");
    expect(e.expected).toContain("tracks.csv");
  });

  it("refuses to search with another model than the one that built the database", async () => {
    const r = await cli(["search", "techno", "--db", db, "--model", "hash-128", "--json"]);
    expect(r.code).toBe(1);
    expect(r.json<{ error: { code: string; hint: string } }>().error).toMatchObject({
      code: "MODEL_MISMATCH",
      hint: expect.stringContaining("--reembed"),
    });
  });

  it("rebuilds vectors with --reembed", async () => {
    const other = join(dir, "other.db");
    await cli(["ingest", fx.dataset114k, "--db", other, "--model", "hash", "--json"]);
    const r = await cli([
      "ingest",
      fx.dataset114k,
      "--db",
      other,
      "--model",
      "hash-128",
      "--reembed",
      "--json",
    ]);
    expect(r.json<IngestSummary>()).toMatchObject({ model: "hash-128", embedded: fx.validIds114k.length });
    expect((await cli(["search", "techno", "--db", other, "--json"])).code).toBe(0);
  });

  it("stops at the first bad row with --strict", async () => {
    const strictDb = join(dir, "strict.db");
    const r = await cli([
      "ingest",
      fx.dataset114k,
      "--db",
      strictDb,
      "--model",
      "hash",
      "--strict",
      "--json",
    ]);
    expect(r.code).toBe(1);
    expect(r.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: "BAD_ROW",
      message: expect.stringContaining("dataset.csv:11"),
    });
  });

  it("prints a plain table without colour when piped", async () => {
    const r = await cli(["search", "reggae", "--db", db, "--limit", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("track");
    expect(r.stdout).not.toContain("\u001b[");
    const colored = await cli(["search", "reggae", "--db", db, "--limit", "2"], {
      FORCE_COLOR: "1",
      NO_COLOR: "1",
    });
    expect(colored.stdout).not.toContain("\u001b[");
    const forced = await cli(["search", "reggae", "--db", db, "--limit", "2"], { FORCE_COLOR: "1" });
    expect(forced.stdout).toContain("\u001b[");
  });

  it("validates a likes file", async () => {
    const likes = join(dir, "likes.txt");
    (await import("node:fs")).writeFileSync(likes, "# mine\nSlayer - Angel of Death\nnot a like line\n");
    const r = await cli(["search", "metal", "--db", db, "--likes", likes, "--json"]);
    expect(r.code).toBe(1);
    expect(r.json<{ error: { code: string; got: string } }>().error).toMatchObject({
      code: "LIKES_FORMAT",
      got: expect.stringContaining(":3"),
    });
  });

  it("reports what the database holds", async () => {
    const r = await cli(["info", "--db", db, "--json"]);
    expect(r.json()).toMatchObject({
      tracks: fx.validIds114k.length + fx.validIds600k.length,
      model: { model: "hash-256" },
    });
    expect(existsSync(db)).toBe(true);
  });
});
