import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/cli.js";
import type { Io } from "../../src/cli/ui.js";
import { SpotivecError } from "../../src/domain/errors.js";
import { PUSH_AUTH, pushToSpotify, spotifyTokenPath } from "../../src/playlists/push/index.js";
import type { SpotifyPushOptions } from "../../src/playlists/push/spotify.js";
import { tempDir } from "../helpers.js";
import { databaseWith, manyTracks, playlistOf } from "../servers/playlists.js";
import { type SpotifyServer, startSpotifyServer } from "../servers/spotify.js";

const CLIENT_ID = "test-client-id-0123456789";

/** Plays the user's browser: follows the authorize URL to the redirect and delivers it to the loopback server. */
async function approve(url: string): Promise<void> {
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  const callback = res.headers.get("location") as string;
  expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
  const done = await fetch(callback);
  expect(done.status).toBe(200);
}

let server: SpotifyServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  server = await startSpotifyServer({ clientId: CLIENT_ID });
  dir = tempDir("spotivec-push-");
  env = {
    XDG_CONFIG_HOME: join(dir, "config"),
    SPOTIVEC_SPOTIFY_ACCOUNTS_URL: server.url,
    SPOTIVEC_SPOTIFY_API_URL: server.url,
  };
});

afterEach(async () => {
  await server.close();
});

function options(over: Partial<SpotifyPushOptions> = {}): SpotifyPushOptions & { opened: string[] } {
  const opened: string[] = [];
  return {
    clientId: CLIENT_ID,
    env,
    say: () => {},
    openBrowser: async (url) => {
      opened.push(url);
      await approve(url);
    },
    timeoutMs: 10_000,
    wait: async () => {},
    opened,
    ...over,
  };
}

describe("Spotify push (core, against the local Spotify server)", () => {
  it("authorizes with PKCE, stores the tokens 0600, creates the playlist and adds 250 tracks in 3 chunks", async () => {
    const tracks = manyTracks(250);
    const o = options();
    const result = await pushToSpotify(playlistOf("night drive", tracks), o);

    expect(o.opened).toHaveLength(1);
    const q = server.log.authorize[0] as URLSearchParams;
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(q.get("scope")).toContain("playlist-modify-private");
    const exchange = server.log.token[0] as URLSearchParams;
    expect(exchange.get("grant_type")).toBe("authorization_code");
    expect(exchange.get("code_verifier")?.length).toBeGreaterThanOrEqual(43);

    const path = spotifyTokenPath(env);
    expect(path).toBe(join(dir, "config", "spotivec", "spotify.json"));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(path, "utf8"));
    expect(saved.clientId).toBe(CLIENT_ID);
    expect(typeof saved.refreshToken).toBe("string");

    expect(server.log.created).toEqual([
      expect.objectContaining({
        name: "night drive",
        public: false,
        description: expect.stringContaining("dark techno"),
      }),
    ]);
    expect(server.log.items.map((r) => r.uris.length)).toEqual([100, 100, 50]);
    expect(server.log.items.flatMap((r) => r.uris)).toEqual(tracks.map((t) => `spotify:track:${t.id}`));
    expect(result).toMatchObject({ service: "spotify", tracks: 250, chunks: 3, retries: 0 });
    expect(result.url).toBe(`https://open.spotify.com/playlist/${result.playlistId}`);
  });

  it("reuses stored tokens without asking again", async () => {
    await pushToSpotify(playlistOf("a", manyTracks(3)), options());
    const again = options();
    await pushToSpotify(playlistOf("b", manyTracks(3)), again);
    expect(again.opened).toEqual([]);
    expect(server.log.token).toHaveLength(1);
  });

  it("refreshes an expired token with the refresh token, saving the new one 0600", async () => {
    const path = spotifyTokenPath(env);
    mkdirSync(join(dir, "config", "spotivec"), { recursive: true });
    server.seedRefreshToken("seeded-refresh");
    writeFileSync(
      path,
      JSON.stringify({
        clientId: CLIENT_ID,
        accessToken: "long-expired",
        refreshToken: "seeded-refresh",
        expiresAt: Date.now() - 1000,
        scope: "",
      }),
      { mode: 0o644 },
    );
    const o = options();
    await pushToSpotify(playlistOf("c", manyTracks(5)), o);
    expect(o.opened).toEqual([]);
    expect(server.log.authorize).toHaveLength(0);
    expect(server.log.token.map((f) => [f.get("grant_type"), f.get("refresh_token")])).toEqual([
      ["refresh_token", "seeded-refresh"],
    ]);
    const saved = JSON.parse(readFileSync(path, "utf8"));
    expect(saved.accessToken).not.toBe("long-expired");
    expect(saved.refreshToken).not.toBe("seeded-refresh");
    expect(saved.expiresAt).toBeGreaterThan(Date.now());
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("authorizes anew when the refresh token is refused", async () => {
    mkdirSync(join(dir, "config", "spotivec"), { recursive: true });
    writeFileSync(
      spotifyTokenPath(env),
      JSON.stringify({
        clientId: CLIENT_ID,
        accessToken: "x",
        refreshToken: "revoked",
        expiresAt: 0,
        scope: "",
      }),
    );
    const o = options();
    await pushToSpotify(playlistOf("d", manyTracks(2)), o);
    expect(o.opened).toHaveLength(1);
    expect(server.log.token.map((f) => f.get("grant_type"))).toEqual(["refresh_token", "authorization_code"]);
  });

  it("waits out a 429 for its Retry-After and retries", async () => {
    server.options.rateLimitOnce = "2";
    const waits: number[] = [];
    const result = await pushToSpotify(
      playlistOf("e", manyTracks(150)),
      options({ wait: async (ms) => void waits.push(ms) }),
    );
    expect(server.log.rateLimited).toBe(1);
    expect(waits).toEqual([2000]);
    expect(result.retries).toBe(1);
    expect(server.log.items.map((r) => r.uris.length)).toEqual([100, 50]);
  });

  it("maps the Development Mode 403s to errors that say what to change", async () => {
    server.options.forbidden = "allowlist";
    const e = await pushToSpotify(playlistOf("f", manyTracks(1)), options()).catch((x) => x);
    expect(e).toBeInstanceOf(SpotivecError);
    expect(e.code).toBe(PUSH_AUTH);
    expect(e.message).toMatch(/not allowed to use this app/);
    expect(e.got).toContain("User not registered in the Developer Dashboard");
    expect(e.hint).toMatch(/User Management/);

    server.options.forbidden = "premium";
    const p = await pushToSpotify(playlistOf("g", manyTracks(1)), options()).catch((x) => x);
    expect(p.message).toMatch(/owner needs an active Premium subscription/);
    expect(p.hint).toMatch(/few hours/);
  });

  it("gives up on authorization after the timeout", async () => {
    const e = await pushToSpotify(
      playlistOf("h", manyTracks(1)),
      options({ openBrowser: () => {}, timeoutMs: 200 }),
    ).catch((x) => x);
    expect(e).toBeInstanceOf(SpotivecError);
    expect(e.message).toMatch(/Timed out waiting/);
  });
});

/** Runs the CLI; whenever an authorize URL appears on stderr, approves it as the user would in a browser. */
async function cliApproving(argv: string[], vars: NodeJS.ProcessEnv) {
  let stdout = "";
  let stderr = "";
  const approvals: Promise<void>[] = [];
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: {
      write: (s: string) => {
        stderr += s;
        const url = /^(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m.exec(s)?.[1];
        if (url) approvals.push(approve(url));
        return true;
      },
      isTTY: false,
    },
    env: vars,
  };
  const code = await run(argv, io);
  await Promise.all(approvals);
  return { code, stdout, stderr, approvals: approvals.length };
}

describe("spotivec playlist push --spotify", () => {
  it("prints the authorize URL, completes the flow and reports the playlist as JSON", async () => {
    const db = databaseWith(dir, "mix", manyTracks(120));
    const r = await cliApproving(
      ["playlist", "push", "mix", "--spotify", "--db", db, "--json", "--timeout", "10"],
      { ...env, SPOTIVEC_SPOTIFY_CLIENT_ID: CLIENT_ID },
    );
    expect(r.stderr).toContain("/authorize?");
    expect(r.code).toBe(0);
    expect(r.approvals).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ service: "spotify", name: "mix", tracks: 120, chunks: 2 });
    expect(server.log.items.map((i) => i.uris.length)).toEqual([100, 20]);
  });

  it("needs a client id, and one service", async () => {
    const db = databaseWith(dir, "mix", manyTracks(1));
    const none = await cliApproving(["playlist", "push", "mix", "--spotify", "--db", db, "--json"], env);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.message).toMatch(/No Spotify client id/);
    const neither = await cliApproving(["playlist", "push", "mix", "--db", db, "--json"], env);
    expect(neither.code).toBe(2);
    expect(JSON.parse(neither.stdout).error.expected).toMatch(/--spotify or --subsonic/);
  });

  it("says which playlists exist when the name is unknown", async () => {
    const db = databaseWith(dir, "mix", manyTracks(1));
    const r = await cliApproving(
      ["playlist", "push", "nope", "--spotify", "--client-id", CLIENT_ID, "--db", db, "--json"],
      env,
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("NOT_FOUND");
  });
});
