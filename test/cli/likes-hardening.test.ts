import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, FIXTURE_IDS, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

interface Report {
  entries: number;
  comments: number;
  matched: number;
  unmatched: number;
  invalid: number;
  added: number;
  details: Array<{ line: number; entry: string; status: string; reason?: string }>;
  detailsLeftOut: number;
}

describe("likes import on bad input", () => {
  const dir = tempDir();
  const db = join(dir, "likes.db");
  const fx = writeFixtures(dir);
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    expect((await ingestFixtures(fx, db)).code).toBe(0);
  });

  it("reports a JSON track whose artist is a number as invalid, for import and search --likes (item 6)", async () => {
    const lib = file(
      "YourLibrary.json",
      JSON.stringify({
        tracks: [
          { artist: 5, track: "Creep" },
          { artist: "Slayer", track: "Angel of Death" },
        ],
      }),
    );
    const r = await cli(["likes", "import", lib, "--db", db, "--profile", "json", "--json"]);
    expect(r.code).toBe(0);
    const report = r.json<Report>();
    expect(report).toMatchObject({ entries: 2, matched: 1, invalid: 1, added: 1 });
    expect(report.details[0]).toMatchObject({
      line: 1,
      status: "invalid",
      reason: "tracks[0].artist is a number, not text",
    });
    const s = await cli(["search", "songs I like", "--likes", lib, "--db", db, "--json"]);
    expect(s.code).toBe(0);
    expect(s.json<{ results: Array<{ id: string }> }>().results.map((x) => x.id)).toEqual([
      FIXTURE_IDS.metal,
    ]);
  });

  it("reports a CSV row with a broken quote and keeps the next row (item 7)", async () => {
    const csv = file("broken.csv", 'artist,title\n"broken,quote\nSlayer,Angel of Death\n');
    const r = await cli(["likes", "import", csv, "--db", db, "--profile", "csv", "--json"]);
    expect(r.code).toBe(0);
    const report = r.json<Report>();
    expect(report).toMatchObject({ entries: 2, matched: 1, invalid: 1 });
    expect(report.details.map((d) => [d.line, d.status])).toEqual([
      [2, "invalid"],
      [3, "matched"],
    ]);
  });

  it("reads #-prefixed song lines and reports skipped comment lines (item 8)", async () => {
    const txt = file("hash.txt", "# my likes\n#Kids - Wheels on The Bus\nSlayer - Angel of Death\n");
    const r = await cli(["likes", "import", txt, "--db", db, "--profile", "hash", "--json"]);
    expect(r.code).toBe(0);
    const report = r.json<Report>();
    expect(report).toMatchObject({ entries: 2, comments: 1, matched: 1, unmatched: 1 });
    expect(report.details[0]).toMatchObject({ line: 2, entry: "#Kids - Wheels on The Bus" });
    const plain = await cli(["likes", "import", txt, "--db", db, "--profile", "hash"]);
    expect(plain.stdout).toContain("1 comment line(s) skipped");
  });

  it("streams a long file: progress on stderr, every batch committed, details bounded (item 13)", async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) =>
      i % 2 === 0 ? `spotify:track:${FIXTURE_IDS.sadPiano}` : `Nobody ${i} - Nothing ${i}`,
    );
    const long = file("long.txt", `${lines.join("\n")}\n`);
    const r = await cli(["likes", "import", long, "--db", db, "--profile", "long"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/reading\s+12,000\/12,000 rows/);
    expect(r.stdout).toContain("12000 entries, 6000 matched, 0 ambiguous, 6000 unmatched");
    expect(r.stdout).toMatch(/\.\.\. and \d+ more not listed/);
    const j = (
      await cli(["likes", "import", long, "--db", db, "--profile", "long", "--json"])
    ).json<Report>();
    expect(j.details.length).toBeLessThanOrEqual(2000);
    expect(j.details.length + j.detailsLeftOut).toBe(12_000);
  });

  it("refuses a lines file with lines that are not likes before writing anything", async () => {
    const bad = file("bad.txt", "Slayer - Angel of Death\nnot a like line\n");
    const r = await cli(["likes", "import", bad, "--db", db, "--profile", "bad", "--json"]);
    expect(r.code).toBe(1);
    expect(r.json<{ error: { code: string; got: string } }>().error).toMatchObject({
      code: "LIKES_FORMAT",
      got: expect.stringContaining("bad.txt:2"),
    });
    const profiles = (await cli(["likes", "profiles", "--db", db, "--json"])).json<
      Array<{ profile: string }>
    >();
    expect(profiles.map((p) => p.profile)).not.toContain("bad");
  });
});
