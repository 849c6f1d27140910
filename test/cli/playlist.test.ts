import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Playlist, PlaylistTrack } from "../../src/playlists/index.js";
import { cli, FIXTURE_IDS, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

interface ErrorJson {
  error: { code: string; message: string; expected?: string; got?: string; hint: string };
}

const ids = (tracks: readonly { id: string }[]) => tracks.map((t) => t.id);

// Playlists end to end, in-process, with the lexical test embedder: every subcommand with --json.
describe("playlists", () => {
  const dir = tempDir();
  const db = join(dir, "playlists.db");
  const fx = writeFixtures(dir);
  const likesFile = join(dir, "likes.txt");
  const run = (...argv: string[]) => cli([...argv, "--db", db]);

  beforeAll(async () => {
    // The 114K layout first; the 600K files come later, to grow the catalog under saved playlists.
    const r = await cli(["ingest", fx.dataset114k, "--db", db, "--model", "hash", "--json"]);
    expect(r.code).toBe(0);
    writeFileSync(
      likesFile,
      ["Slayer - Angel of Death", FIXTURE_IDS.sadPiano, FIXTURE_IDS.techno].join("\n"),
    );
  });

  it("search --save keeps the answered tracks with the query, options and plan", async () => {
    const r = await run(
      "search",
      "techno",
      "--limit",
      "3",
      "--genre",
      "techno",
      "--save",
      "techno",
      "--json",
    );
    expect(r.code).toBe(0);
    const out = r.json<{ results: { id: string }[]; saved: { name: string; tracks: number } }>();
    expect(out.saved).toEqual({ name: "techno", tracks: out.results.length });
    const shown = await run("playlist", "show", "techno", "--json");
    expect(shown.code).toBe(0);
    const p = shown.json<Playlist>();
    expect(ids(p.tracks)).toEqual(ids(out.results));
    expect(p.source).toMatchObject({
      query: "techno",
      limit: 3,
      filters: { genres: ["techno"] },
      versions: false,
      likesFrom: null,
      picked: false,
    });
    expect(p.source.plan?.query).toBe("techno");
    expect(p.tracks[0]).toMatchObject({ id: FIXTURE_IDS.techno, name: "Target Lock", durationMs: 402000 });
    const text = await run("search", "techno", "--save", "techno text");
    expect(text.stderr).toContain('saved playlist "techno text"');
  });

  it("refresh re-runs a filter-only search against the grown catalog and reports what changed", async () => {
    const saved = await run("search", "--tempo-min", "100", "--limit", "50", "--save", "fast", "--json");
    expect(saved.code).toBe(0);
    expect(saved.json<{ plan: null }>().plan).toBeNull();
    const grow = await ingestFixtures(fx, db, [fx.tracks600k, fx.artists600k]);
    expect(grow.code).toBe(0);
    const r = await run("playlist", "refresh", "fast", "--json");
    expect(r.code).toBe(0);
    const out = r.json<{ playlist: Playlist; added: PlaylistTrack[]; removed: PlaylistTrack[] }>();
    expect(ids(out.added).sort()).toEqual(
      [FIXTURE_IDS.newRock, FIXTURE_IDS.oldBlues, FIXTURE_IDS.oldJazz].sort(),
    );
    expect(out.removed).toEqual([]);
    expect(out.playlist.source.plan).toBeNull();
    expect(out.playlist.source.filters).toEqual({ ranges: { tempo: { min: 100 } } });
    expect(out.playlist.updatedAt >= out.playlist.createdAt).toBe(true);
    const again = await run("playlist", "refresh", "fast");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('refreshed "fast"');
    expect(again.stdout).toContain("0 added, 0 removed");
  });

  it("refresh re-runs planned and plain searches with the model", async () => {
    for (const args of [["techno"], ["techno", "--plain"]]) {
      const name = args.join(" ");
      expect((await run("search", ...args, "--limit", "4", "--save", name, "--json")).code).toBe(0);
      const before = (await run("playlist", "show", name, "--json")).json<Playlist>();
      expect(before.source.plan === null).toBe(args.includes("--plain"));
      const r = await run("playlist", "refresh", name, "--json");
      expect(r.code).toBe(0);
      const after = r.json<{ playlist: Playlist }>().playlist;
      expect(after.tracks.length).toBe(4);
      expect(after.source.plan === null).toBe(args.includes("--plain"));
      expect(after.createdAt).toBe(before.createdAt);
    }
  });

  it("save picks tracks by id, URI, URL or 'Artist - Title'; all must match or nothing is saved", async () => {
    const r = await run(
      "playlist",
      "save",
      "picked",
      "Slayer - Angel of Death",
      FIXTURE_IDS.sadPiano,
      `spotify:track:${FIXTURE_IDS.explicitRap}`,
      `https://open.spotify.com/track/${FIXTURE_IDS.oldJazz}?si=abc`,
      "--json",
    );
    expect(r.code).toBe(0);
    const p = r.json<Playlist>();
    expect(ids(p.tracks)).toEqual([
      FIXTURE_IDS.metal,
      FIXTURE_IDS.sadPiano,
      FIXTURE_IDS.explicitRap,
      FIXTURE_IDS.oldJazz,
    ]);
    expect(p.source).toMatchObject({ picked: true, plan: null, query: "" });
    // A picked playlist keeps its tracks when refreshed.
    const refreshed = await run("playlist", "refresh", "picked", "--json");
    expect(ids(refreshed.json<{ playlist: Playlist }>().playlist.tracks)).toEqual(ids(p.tracks));

    const bad = await run("playlist", "save", "never", FIXTURE_IDS.metal, "Nobody - No Such Song", "--json");
    expect(bad.code).toBe(1);
    expect(bad.json<ErrorJson>().error.code).toBe("NOT_FOUND");
    expect(bad.json<ErrorJson>().error.got).toContain("Nobody - No Such Song");
    expect((await run("playlist", "show", "never", "--json")).code).toBe(1);

    const long = await run("playlist", "save", "x".repeat(101), FIXTURE_IDS.metal, "--json");
    expect(long.code).toBe(2);
    expect(long.json<ErrorJson>().error.code).toBe("USAGE");
    const longSearch = await run("search", "techno", "--save", "", "--json");
    expect(longSearch.code).toBe(2);
  });

  it("list names every playlist with its size and query", async () => {
    const r = await run("playlist", "list", "--json");
    expect(r.code).toBe(0);
    const { playlists } = r.json<{ playlists: Array<{ name: string; tracks: number; query: string }> }>();
    expect(playlists.map((p) => p.name)).toEqual([...playlists.map((p) => p.name)].sort());
    expect(playlists.find((p) => p.name === "picked")).toMatchObject({ tracks: 4, query: "" });
    expect(playlists.find((p) => p.name === "techno")?.query).toBe("techno");
    expect((await run("playlist", "list")).stdout).toContain("picked  4 tracks");
  });

  it("exports M3U8 to stdout and to --out; M3U8 and XSPF parse back to the same ids", async () => {
    const expected = [FIXTURE_IDS.metal, FIXTURE_IDS.sadPiano, FIXTURE_IDS.explicitRap, FIXTURE_IDS.oldJazz];
    const m3u = await run("playlist", "export", "picked", "--format", "m3u8");
    expect(m3u.code).toBe(0);
    expect(m3u.stdout.startsWith("#EXTM3U\n")).toBe(true);
    expect(m3u.stdout).toContain(
      "#EXTINF:291,Slayer - Angel of Death\nspotify:track:0000000000000000000006\n",
    );
    const uris = m3u.stdout.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(uris).toEqual(expected.map((id) => `spotify:track:${id}`));

    const out = join(dir, "picked.xspf");
    const r = await run("playlist", "export", "picked", "--out", out, "--json");
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ name: "picked", format: "xspf", out });
    const xml = readFileSync(out, "utf8");
    const identifiers = [...xml.matchAll(/<identifier>spotify:track:([^<]+)<\/identifier>/g)].map(
      (m) => m[1],
    );
    expect(identifiers).toEqual(expected);
    expect(xml).toContain("<creator>The Dave Brubeck Quartet</creator>");
    // Written atomically: no temporary file is left beside it.
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const json = await run("playlist", "export", "picked", "--format", "json", "--json");
    expect(JSON.parse(json.json<{ content: string }>().content).name).toBe("picked");
  });

  it("a CSV export imports back with likes import, every track matched", async () => {
    const all = [...fx.validIds114k, ...fx.validIds600k];
    expect((await run("playlist", "save", "everything", ...all, "--json")).code).toBe(0);
    const csv = join(dir, "everything.csv");
    const r = await run("playlist", "export", "everything", "--format", "csv", "--out", csv);
    expect(r.code).toBe(0);
    expect(readFileSync(csv, "utf8").split("\n")[0]).toMatch(/^"Name","Track URI","Track Name",/);
    const imported = await run("likes", "import", csv, "--profile", "roundtrip", "--json");
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({
      format: "csv",
      entries: all.length,
      matched: all.length,
      ambiguous: 0,
      unmatched: 0,
      invalid: 0,
      tracks: all.length,
    });
    const listed = (await run("likes", "list", "--profile", "roundtrip", "--json")).json<{
      tracks: { id: string }[];
    }>();
    expect(ids(listed.tracks).sort()).toEqual([...all].sort());
  });

  it("errors: unknown playlist is NOT_FOUND (exit 1), an unknown format a usage error (exit 2)", async () => {
    for (const sub of ["show", "export", "refresh", "delete"]) {
      const r = await run("playlist", sub, "nope", "--json");
      expect(r.code).toBe(1);
      expect(r.json<ErrorJson>().error.code).toBe("NOT_FOUND");
    }
    const wav = await run("playlist", "export", "picked", "--format", "wav", "--json");
    expect(wav.code).toBe(2);
    expect(wav.json<ErrorJson>().error).toMatchObject({ code: "USAGE", got: '"wav"' });
    const text = await run("playlist", "export", "picked", "--format", "wav");
    expect(text.code).toBe(2);
    expect(text.stderr).toContain("m3u8, xspf, csv, json");
    const nowhere = await run(
      "playlist",
      "export",
      "picked",
      "--out",
      join(dir, "missing", "x.m3u8"),
      "--json",
    );
    expect(nowhere.code).toBe(1);
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("personal queries: refresh uses the recorded profile; a likes file must be given again", async () => {
    expect((await run("likes", "import", likesFile, "--json")).code).toBe(0);
    const viaProfile = await run("search", "songs I like", "--save", "liked", "--json");
    expect(viaProfile.code).toBe(0);
    const liked = (await run("playlist", "show", "liked", "--json")).json<Playlist>();
    expect(liked.source.likesFrom).toBe("profile default");
    expect(liked.tracks.length).toBeGreaterThan(0);
    const refreshed = await run("playlist", "refresh", "liked", "--json");
    expect(refreshed.code).toBe(0);
    expect(ids(refreshed.json<{ playlist: Playlist }>().playlist.tracks).sort()).toEqual(
      ids(liked.tracks).sort(),
    );

    const viaFile = await run(
      "search",
      "songs I like",
      "--likes",
      likesFile,
      "--save",
      "from file",
      "--json",
    );
    expect(viaFile.code).toBe(0);
    expect((await run("playlist", "show", "from file", "--json")).json<Playlist>().source.likesFrom).toBe(
      likesFile,
    );
    const without = await run("playlist", "refresh", "from file", "--json");
    expect(without.code).toBe(2);
    const e = without.json<ErrorJson>().error;
    expect(e.code).toBe("USAGE");
    expect(e.message).toContain(likesFile);
    expect(e.hint).toContain(`--likes ${likesFile}`);
    const withFile = await run("playlist", "refresh", "from file", "--likes", likesFile, "--json");
    expect(withFile.code).toBe(0);
    expect(withFile.json<{ playlist: Playlist }>().playlist.tracks.length).toBeGreaterThan(0);
  });

  it("delete removes a playlist; readers leave a missing database uncreated", async () => {
    const r = await run("playlist", "delete", "techno text", "--json");
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ name: "techno text", deleted: true });
    expect((await run("playlist", "delete", "techno text", "--json")).code).toBe(1);
    const missing = join(dir, "none.db");
    for (const argv of [["list"], ["show", "x"], ["export", "x"]]) {
      const m = await cli(["playlist", ...argv, "--db", missing, "--json"]);
      expect(m.code).toBe(1);
      expect(m.json<ErrorJson>().error.code).toBe("EMPTY_STORE");
    }
    expect(existsSync(missing)).toBe(false);
  });
});
