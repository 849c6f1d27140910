import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type LyricsEnrichSummary, THEMES } from "../../src/enrich/lyrics/index.js";
import type { PlannedResponse } from "../../src/search/search.js";
import { cli, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

/** What `enrich lyrics --json` prints. */
type EnrichReport = LyricsEnrichSummary & { db: string };

const prototypes = (name: string) => THEMES.find((t) => t.name === name)?.prototypes.join("  \r\n") ?? "";

// `spotivec enrich lyrics` end to end in-process with the lexical test embedder, then theme queries over it.
describe("enrich lyrics", () => {
  const dir = tempDir();
  const db = join(dir, "lyrics.db");
  const plainDb = join(dir, "plain.db");
  const fx = writeFixtures(dir);
  const lyrics = join(dir, "lyrics.csv");

  beforeAll(async () => {
    expect((await ingestFixtures(fx, db)).code).toBe(0);
    expect((await ingestFixtures(fx, plainDb)).code).toBe(0);
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    writeFileSync(
      lyrics,
      [
        "artist,song,link,text",
        `Slayer,Angel of Death,/s/slayer/angel.html,${q(prototypes("death"))}`,
        `Bob Marley & The Wailers,Three Little Birds,/b/bob/birds.html,${q(prototypes("the sea"))}`,
        `Bob Dylan,Pink Moon,/b/dylan/pink.html,${q(prototypes("love"))}`,
        `Nobody At All,No Such Song,/n/no.html,${q("la la la")}`,
      ].join("\n"),
    );
  });

  it("reports matched, ambiguous and unmatched rows as JSON, and lists the misses beside the database", async () => {
    const r = await cli(["enrich", "lyrics", lyrics, "--db", db, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = r.json<EnrichReport>();
    expect(report).toMatchObject({ rows: 4, matched: 2, ambiguous: 0, unmatched: 2, matchRate: 0.5 });
    expect(report).toMatchObject({ tracks: 2, stored: 2, unchanged: 0, totalWithLyrics: 2 });
    expect(report.unmatchedFile).toBe(join(dir, "lyrics.lyrics-unmatched.jsonl"));
    const misses = readFileSync(report.unmatchedFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // A perfect title by another artist is no match.
    expect(misses.map((m) => [m.line, m.artist, m.status])).toEqual([
      [8, "Bob Dylan", "unmatched"],
      [11, "Nobody At All", "unmatched"],
    ]);
    expect(misses[0].reason).toContain("Pink Moon");
    const info = await cli(["info", "--db", db, "--json"]);
    expect(info.json<{ lyrics: number }>().lyrics).toBe(2);
    expect((await cli(["info", "--db", plainDb, "--json"])).json<{ lyrics: number }>().lyrics).toBe(0);
  });

  it("skips unchanged rows when run again, and writes the report where --unmatched says", async () => {
    const other = join(dir, "misses.jsonl");
    const r = await cli(["enrich", "lyrics", lyrics, "--db", db, "--json", "--unmatched", other]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<EnrichReport>()).toMatchObject({ matched: 2, stored: 0, unchanged: 2, totalWithLyrics: 2 });
    expect(existsSync(other)).toBe(true);
  });

  it("answers theme queries from the lyrics, saying why; tracks without lyrics keep their scores", async () => {
    const search = async (path: string) => {
      const r = await cli(["search", "songs about death", "--db", path, "--json", "--limit", "20"]);
      expect(r.code, r.stderr).toBe(0);
      return r.json<PlannedResponse>();
    };
    const { plan, results } = await search(db);
    expect(plan.constraints).toEqual([
      expect.objectContaining({
        id: "lyrics-death",
        type: "theme",
        hard: false,
        source: expect.objectContaining({ kind: "lyrics themes" }),
      }),
    ]);
    const angel = results.find((r) => r.name === "Angel of Death");
    expect(angel?.why.summary).toContain("lyrics: death");
    // The same query on the same catalog without lyrics: only the track whose lyrics fit moves.
    const before = new Map((await search(plainDb)).results.map((r) => [r.id, r.score]));
    expect(results.length).toBe(before.size);
    for (const r of results) {
      if (r.name === "Angel of Death") expect(r.score).toBeGreaterThan(before.get(r.id) ?? 1);
      else expect(r.score, r.name).toBe(before.get(r.id));
    }
    const ocean = await cli(["search", "lyrics about the ocean", "--db", db, "--json", "--limit", "20"]);
    const birds = ocean.json<PlannedResponse>().results.find((r) => r.name === "Three Little Birds");
    expect(birds?.why.summary).toContain("lyrics: the sea");
  });

  it("reads theme words as before on a catalog without lyrics", async () => {
    const r = await cli(["search", "songs about death", "--db", plainDb, "--json", "--limit", "5"]);
    expect(r.code, r.stderr).toBe(0);
    const { plan, results } = r.json<PlannedResponse>();
    expect(plan.constraints.some((c) => c.type === "theme")).toBe(false);
    for (const res of results) expect(res.why.summary).not.toContain("lyrics:");
  });

  it("refuses another model than the database's, and a file that is not a lyrics CSV", async () => {
    const mismatch = await cli(["enrich", "lyrics", lyrics, "--db", db, "--model", "hash-32", "--json"]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.json<{ error: { code: string } }>().error.code).toBe("MODEL_MISMATCH");
    const wrong = await cli(["enrich", "lyrics", fx.dataset114k, "--db", db, "--json"]);
    expect(wrong.code).toBe(1);
    expect(wrong.json<{ error: { code: string; hint: string } }>().error).toMatchObject({
      code: "LYRICS_FORMAT",
    });
    const missing = await cli(["enrich", "lyrics", join(dir, "nope.csv"), "--db", db, "--json"]);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe("FILE_NOT_FOUND");
  });

  it("prints a summary and progress without --json", async () => {
    const r = await cli(["enrich", "lyrics", lyrics, "--db", db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("matched 2 (50.0%");
    expect(r.stdout).toContain("lyrics-unmatched.jsonl");
    // Progress on stderr, with the count and its total.
    expect(r.stderr).toContain("enriching  4/4 rows  100%");
  });
});
