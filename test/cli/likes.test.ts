import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResult } from "../../src/search/search.js";
import { cli, FIXTURE_IDS, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

interface ImportReport {
  profile: string;
  entries: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  added: number;
  total: number;
  details: Array<{ line: number; status: string; reason?: string }>;
}

// Likes, personal queries and `similar`, end to end in-process with the lexical test embedder.
describe("likes and similar", () => {
  const dir = tempDir();
  const db = join(dir, "likes.db");
  const fx = writeFixtures(dir);
  const likesFile = join(dir, "likes.txt");

  beforeAll(async () => {
    const r = await ingestFixtures(fx, db);
    expect(r.code).toBe(0);
    writeFileSync(
      likesFile,
      [
        "# mine",
        "Slayer - Angel of Death",
        `spotify:track:${FIXTURE_IDS.sadPiano}`,
        `https://open.spotify.com/track/${FIXTURE_IDS.techno}?si=x`,
        "Nick Drak - Pink Moon",
        "Nobody At All - No Such Song",
      ].join("\n"),
    );
  });

  it("imports a likes file, reporting every entry", async () => {
    const r = await cli(["likes", "import", likesFile, "--db", db, "--json"]);
    expect(r.code).toBe(0);
    const report = r.json<ImportReport>();
    expect(report).toMatchObject({
      profile: "default",
      entries: 5,
      matched: 4,
      unmatched: 1,
      added: 4,
      total: 4,
    });
    const missing = report.details.find((d) => d.status === "unmatched");
    expect(missing).toMatchObject({ line: 6, reason: expect.stringContaining("No Such Song") });
    const again = (await cli(["likes", "import", likesFile, "--db", db, "--json"])).json<ImportReport>();
    expect(again.added).toBe(0);
  });

  it("keeps profiles apart, lists and removes", async () => {
    const other = join(dir, "other.csv");
    writeFileSync(
      other,
      `"Track URI","Track Name","Artist Name(s)"\n"spotify:track:${FIXTURE_IDS.happyReggae}","Three Little Birds","Bob Marley & The Wailers"\n`,
    );
    expect(
      (await cli(["likes", "import", other, "--profile", "party", "--db", db, "--json"])).json<ImportReport>()
        .added,
    ).toBe(1);
    const profiles = (await cli(["likes", "profiles", "--db", db, "--json"])).json<
      Array<{ profile: string; tracks: number }>
    >();
    expect(profiles).toEqual([
      { profile: "default", tracks: 4 },
      { profile: "party", tracks: 1 },
    ]);
    const removed = await cli([
      "likes",
      "remove",
      "Bob Marley & The Wailers - Three Little Birds",
      "--profile",
      "party",
      "--db",
      db,
      "--json",
    ]);
    expect(removed.json<{ removed: number }>().removed).toBe(1);
    const list = (await cli(["likes", "list", "--db", db, "--json"])).json<{
      tracks: Array<{ id: string }>;
    }>();
    expect(list.tracks.map((t) => t.id).sort()).toEqual(
      [FIXTURE_IDS.metal, FIXTURE_IDS.sadPiano, FIXTURE_IDS.techno, FIXTURE_IDS.acousticFolk].sort(),
    );
  });

  it('scopes "songs I like" to the likes, with --likes or the imported profile', async () => {
    const viaProfile = (await cli(["search", "metal songs I like", "--db", db, "--json"])).json<{
      results: PlannedResult[];
    }>();
    expect(viaProfile.results.map((r) => r.id)).toEqual([FIXTURE_IDS.metal]);
    const viaFile = (await cli(["search", "songs I like", "--likes", likesFile, "--db", db, "--json"])).json<{
      results: PlannedResult[];
    }>();
    expect(viaFile.results.map((r) => r.id).sort()).toEqual(
      [FIXTURE_IDS.metal, FIXTURE_IDS.sadPiano, FIXTURE_IDS.techno, FIXTURE_IDS.acousticFolk].sort(),
    );
  });

  it('ranks by taste and leaves the likes out for "songs like the ones I like"', async () => {
    const r = (await cli(["search", "songs like the ones I like", "--db", db, "--json"])).json<{
      plan: { personal: { mode: string } };
      results: PlannedResult[];
    }>();
    expect(r.plan.personal.mode).toBe("taste");
    const liked = new Set<string>([
      FIXTURE_IDS.metal,
      FIXTURE_IDS.sadPiano,
      FIXTURE_IDS.techno,
      FIXTURE_IDS.acousticFolk,
    ]);
    expect(r.results.length).toBeGreaterThan(0);
    for (const x of r.results) {
      expect(liked.has(x.id)).toBe(false);
      expect(x.why.likedNear?.length).toBeGreaterThan(0);
    }
  });

  it("says so when a remix of liked songs is not in the catalog, and falls back", async () => {
    const r = (await cli(["search", "techno remix of folk songs I like", "--db", db, "--json"])).json<{
      plan: { notes: string[]; personal: { mode: string } };
      results: PlannedResult[];
    }>();
    expect(r.plan.personal.mode).toBe("remix");
    expect(r.plan.notes.join(" ")).toMatch(/no techno remixes of your liked folk songs/);
    expect(r.results.every((x) => x.genres.some((g) => g.includes("techno")))).toBe(true);
  });

  it("notes a personal query without likes", async () => {
    const empty = join(dir, "empty.db");
    await cli(["ingest", fx.dataset114k, "--db", empty, "--model", "hash", "--json"]);
    const r = (await cli(["search", "songs I like", "--db", empty, "--json"])).json<{
      plan: { notes: string[] };
    }>();
    expect(r.plan.notes.join(" ")).toContain("none were given");
  });

  it("finds tracks similar to one named any way, never the track itself", async () => {
    for (const ref of [FIXTURE_IDS.techno, `spotify:track:${FIXTURE_IDS.techno}`, "Rødhåd - Target Lock"]) {
      const r = await cli(["similar", ref, "--db", db, "--json", "--limit", "3"]);
      expect(r.code).toBe(0);
      const out = r.json<{ track: { id: string }; results: PlannedResult[] }>();
      expect(out.track.id).toBe(FIXTURE_IDS.techno);
      expect(out.results.map((x) => x.id)).not.toContain(FIXTURE_IDS.techno);
      expect(out.results[0]?.id).toBe(FIXTURE_IDS.technoTwin);
      expect(out.results[0]?.why.meets.map((m) => m.label).join(" ")).toContain("genre");
    }
    const missing = await cli(["similar", "Nobody - Nothing", "--db", db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No single track matches");
  });
});
