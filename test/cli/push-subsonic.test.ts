import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { PUSH_AUTH, PUSH_FAILED, pushToSubsonic } from "../../src/playlists/push/index.js";
import { bestMatch } from "../../src/playlists/push/match.js";
import { SUBSONIC_CHUNK } from "../../src/playlists/push/subsonic.js";
import { cli, tempDir } from "../helpers.js";
import {
  databaseWith,
  manyTracks,
  playlistOf,
  LIBRARY_SONGS as SONGS,
  LIBRARY_TRACKS as TRACKS,
  track,
} from "../servers/playlists.js";
import { type SubsonicServer, startSubsonicServer } from "../servers/subsonic.js";

let server: SubsonicServer;
let dir: string;

beforeEach(async () => {
  server = await startSubsonicServer({ ana: "s3cret pass" }, SONGS);
  dir = tempDir("spotivec-subsonic-");
});

afterEach(async () => {
  await server.close();
});

describe("matching by artist and title", () => {
  it("prefers the same version and the same artist, and refuses other songs", () => {
    const birds = TRACKS[1] as (typeof TRACKS)[number];
    expect(bestMatch(birds, SONGS)?.id).toBe("s2");
    const moon = TRACKS[4] as (typeof TRACKS)[number];
    expect(bestMatch(moon, SONGS)?.id).toBe("s5");
    expect(bestMatch(track("x", ["Slayer"], "Three Little Birds"), SONGS)).toBeNull();
    expect(bestMatch(track("x", ["Kendrick Lamar", "Rihanna"], "HUMBLE"), SONGS)?.id).toBe("s4");
    const feat = {
      id: "f",
      title: "Loyalty",
      artist: "Kendrick Lamar feat. Rihanna",
      album: "",
      duration: 1,
    };
    expect(bestMatch(track("x", ["Kendrick Lamar"], "LOYALTY."), [feat])?.id).toBe("f");
  });
});

describe("spotivec playlist push --subsonic", () => {
  it("matches with search3, creates the playlist in order and lists the unmatched tracks", async () => {
    const db = databaseWith(dir, "mix", TRACKS);
    const env = { SPOTIVEC_SUBSONIC_PASSWORD: "s3cret pass" };
    const argv = ["playlist", "push", "mix", "--subsonic", server.url, "--user", "ana", "--db", db, "--json"];
    const r = await cli(argv, env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.json<{
      playlistId: string;
      replaced: boolean;
      matched: Array<{ id: string; songId: string }>;
      unmatched: Array<{ id: string; name: string; reason: string }>;
    }>();
    expect(out.matched.map((m) => m.songId)).toEqual(["s1", "s2", "s4", "s5"]);
    expect(out.unmatched.map((u) => u.name)).toEqual(["Nuvole Bianche", "Angel of Death"]);
    expect(out.replaced).toBe(false);
    expect(server.playlists.get(out.playlistId)).toMatchObject({
      name: "mix",
      songIds: ["s1", "s2", "s4", "s5"],
    });
    // Every request carried token authentication with a fresh salt, never the password.
    const salts = server.requests.map((q) => q.params.get("s"));
    expect(new Set(salts).size).toBe(salts.length);
    expect(server.requests.every((q) => q.params.get("p") === null && q.params.get("c") === "spotivec")).toBe(
      true,
    );
    expect(server.requests.every((q) => q.params.get("v") === "1.16.1")).toBe(true);

    const again = await cli(argv, env);
    expect(again.json<{ replaced: boolean; playlistId: string }>()).toMatchObject({
      replaced: true,
      playlistId: out.playlistId,
    });
    expect(server.playlists.size).toBe(1);
  });

  it("prints the unmatched tracks in text", async () => {
    const db = databaseWith(dir, "mix", TRACKS);
    const r = await cli(["playlist", "push", "mix", "--subsonic", server.url, "--user", "ana", "--db", db], {
      SPOTIVEC_SUBSONIC_PASSWORD: "s3cret pass",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("4 of 6 tracks matched");
    expect(r.stdout).toContain("unmatched  Slayer - Angel of Death");
  });

  it("says the password is wrong", async () => {
    const db = databaseWith(dir, "mix", TRACKS);
    const r = await cli(
      ["playlist", "push", "mix", "--subsonic", server.url, "--user", "ana", "--db", db, "--json"],
      { SPOTIVEC_SUBSONIC_PASSWORD: "nope" },
    );
    expect(r.code).not.toBe(0);
    const error = r.json<{ error: { code: string; message: string; got: string; hint: string } }>().error;
    expect(error.code).toBe(PUSH_AUTH);
    expect(error.message).toMatch(/refused the user name or password/);
    expect(error.got).toBe("error 40: Wrong username or password");
    expect(server.playlists.size).toBe(0);
  });

  it("needs a password from the environment when there is no terminal", async () => {
    const db = databaseWith(dir, "mix", TRACKS);
    const r = await cli([
      "playlist",
      "push",
      "mix",
      "--subsonic",
      server.url,
      "--user",
      "ana",
      "--db",
      db,
      "--json",
    ]);
    expect(r.code).toBe(2);
    expect(r.json<{ error: { hint: string } }>().error.hint).toMatch(/SPOTIVEC_SUBSONIC_PASSWORD/);
  });

  it("says so when the URL is not a Subsonic server", async () => {
    const e = await pushToSubsonic(playlistOf("x", TRACKS), {
      url: `${server.url}/not-here`,
      user: "ana",
      password: "s3cret pass",
    }).catch((x) => x);
    expect(e).toBeInstanceOf(SpotivecError);
    expect(e.code).toBe(PUSH_FAILED);
    expect(e.message).toMatch(/gave no API answer to ping/);
  });
});

describe("Subsonic push (core)", () => {
  it("adds songs past the first hundred with updatePlaylist", async () => {
    const tracks = manyTracks(230);
    const songs = tracks.map((t, i) => ({
      id: `song-${i}`,
      title: t.name,
      artist: t.artists[0] as string,
      album: "A",
      duration: 200,
    }));
    const big = await startSubsonicServer({ ana: "pw" }, songs);
    try {
      const r = await pushToSubsonic(playlistOf("big", tracks), {
        url: big.url,
        user: "ana",
        password: "pw",
      });
      expect(r.unmatched).toEqual([]);
      expect(big.playlists.get(r.playlistId)?.songIds).toEqual(songs.map((s) => s.id));
      const sizes = big.requests
        .filter((q) => q.method === "createPlaylist" || q.method === "updatePlaylist")
        .map((q) => [q.method, q.params.getAll("songId").length + q.params.getAll("songIdToAdd").length]);
      expect(sizes).toEqual([
        ["createPlaylist", SUBSONIC_CHUNK],
        ["updatePlaylist", 100],
        ["updatePlaylist", 30],
      ]);
    } finally {
      await big.close();
    }
  });
});
