import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embed/embedder.js";
import { spotifyTokenPath } from "../../src/playlists/push/index.js";
import { createApp } from "../../src/server/app.js";
import { createLocalService } from "../../src/server/service.js";
import { openStore, type Store } from "../../src/store/store.js";
import { tempDir } from "../helpers.js";
import { databaseWith, LIBRARY_SONGS, LIBRARY_TRACKS } from "../servers/playlists.js";
import { type SpotifyServer, startSpotifyServer } from "../servers/spotify.js";
import { type SubsonicServer, startSubsonicServer } from "../servers/subsonic.js";

// Pushing from the page through the API, with the server's own configuration, against the local test servers.
const CLIENT_ID = "test-client-id-0123456789";
const PASSWORD = "s3cret pass";

const SONGS = LIBRARY_SONGS.filter((s) => ["s1", "s4"].includes(s.id));
const TRACKS = LIBRARY_TRACKS.filter((t) => ["Target Lock", "Nuvole Bianche", "HUMBLE."].includes(t.name));

let dir: string;
let store: Store;
let spotify: SpotifyServer;
let subsonic: SubsonicServer;

beforeEach(async () => {
  dir = tempDir("spotivec-api-push-");
  store = openStore(databaseWith(dir, "mix", TRACKS));
  spotify = await startSpotifyServer({ clientId: CLIENT_ID });
  subsonic = await startSubsonicServer({ ana: PASSWORD }, SONGS);
});

afterEach(async () => {
  store.close();
  await spotify.close();
  await subsonic.close();
});

async function appWith(env: NodeJS.ProcessEnv) {
  const full = { XDG_CONFIG_HOME: join(dir, "config"), ...env };
  return createApp(createLocalService(store, await createEmbedder("hash")), {
    genreLabels: () => [],
    env: full,
  });
}

const subsonicEnv = (over: NodeJS.ProcessEnv = {}) => ({
  SPOTIVEC_SUBSONIC_URL: subsonic.url,
  SPOTIVEC_SUBSONIC_USER: "ana",
  SPOTIVEC_SUBSONIC_PASSWORD: PASSWORD,
  ...over,
});

const spotifyEnv = () => ({
  SPOTIVEC_SPOTIFY_ACCOUNTS_URL: spotify.url,
  SPOTIVEC_SPOTIFY_API_URL: spotify.url,
});

async function push(app: Awaited<ReturnType<typeof appWith>>, name: string, body: unknown) {
  const res = await app.request(`/api/playlists/${encodeURIComponent(name)}/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field
  return { status: res.status, body: (await res.json()) as any };
}

function storeTokens(tokens: Record<string, unknown>): string {
  const path = spotifyTokenPath({ XDG_CONFIG_HOME: join(dir, "config") });
  mkdirSync(join(dir, "config", "spotivec"), { recursive: true });
  writeFileSync(path, JSON.stringify({ clientId: CLIENT_ID, scope: "", ...tokens }), { mode: 0o600 });
  return path;
}

describe("POST /api/playlists/{name}/push to Subsonic", () => {
  it("pushes with the server's configuration, answering matched and unmatched tracks as the CLI's --json", async () => {
    const app = await appWith(subsonicEnv());
    const r = await push(app, "mix", { service: "subsonic" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ service: "subsonic", server: subsonic.url, name: "mix", tracks: 3 });
    expect(r.body.matched.map((m: { songId: string }) => m.songId)).toEqual(["s1", "s4"]);
    expect(r.body.unmatched.map((u: { name: string }) => u.name)).toEqual(["Nuvole Bianche"]);
    expect(subsonic.playlists.get(r.body.playlistId)).toMatchObject({ name: "mix", songIds: ["s1", "s4"] });
    // The password never travels in the clear: token + salt only.
    for (const req of subsonic.requests) expect(req.params.toString()).not.toContain("s3cret");
  });

  it("is a 400 naming the variables to set when Subsonic is not configured", async () => {
    const app = await appWith(subsonicEnv({ SPOTIVEC_SUBSONIC_PASSWORD: "" }));
    const r = await push(app, "mix", { service: "subsonic" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("Subsonic is not configured");
    expect(r.body.error.hint).toContain("SPOTIVEC_SUBSONIC_PASSWORD");
    expect(r.body.error.hint).toContain("spotivec playlist push");
    expect(subsonic.requests).toHaveLength(0);
    const none = await push(await appWith({}), "mix", { service: "subsonic" });
    expect(none.body.error.hint).toContain(
      "SPOTIVEC_SUBSONIC_URL, SPOTIVEC_SUBSONIC_USER, SPOTIVEC_SUBSONIC_PASSWORD",
    );
  });

  it("answers a refused password as PUSH_AUTH 502 with its hint", async () => {
    const app = await appWith(subsonicEnv({ SPOTIVEC_SUBSONIC_PASSWORD: "wrong" }));
    const r = await push(app, "mix", { service: "subsonic" });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("PUSH_AUTH");
    expect(r.body.error.hint).toContain("SPOTIVEC_SUBSONIC_PASSWORD");
  });

  it("answers an unreachable server as PUSH_FAILED 502", async () => {
    const down = subsonic.url;
    await subsonic.close();
    const r = await push(await appWith(subsonicEnv({ SPOTIVEC_SUBSONIC_URL: down })), "mix", {
      service: "subsonic",
    });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("PUSH_FAILED");
    subsonic = await startSubsonicServer({}, []);
  });
});

describe("POST /api/playlists/{name}/push to Spotify", () => {
  it("refreshes an expired stored token, then pushes with the stored one", async () => {
    spotify.seedRefreshToken("seeded-refresh");
    const path = storeTokens({ accessToken: "long-expired", refreshToken: "seeded-refresh", expiresAt: 0 });
    // The client id comes from the token file when SPOTIVEC_SPOTIFY_CLIENT_ID is not set.
    const app = await appWith(spotifyEnv());
    const r = await push(app, "mix", { service: "spotify" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ service: "spotify", name: "mix", tracks: 3, chunks: 1 });
    expect(r.body.url).toBe(`https://open.spotify.com/playlist/${r.body.playlistId}`);
    expect(spotify.log.token.map((f) => f.get("grant_type"))).toEqual(["refresh_token"]);
    expect(spotify.log.items[0]?.uris).toEqual(TRACKS.map((t) => `spotify:track:${t.id}`));
    const saved = JSON.parse(readFileSync(path, "utf8"));
    expect(saved.accessToken).not.toBe("long-expired");
    expect(saved.expiresAt).toBeGreaterThan(Date.now());

    // Fresh stored tokens: used as they are, no token request.
    const again = await appWith({ ...spotifyEnv(), SPOTIVEC_SPOTIFY_CLIENT_ID: CLIENT_ID });
    expect((await push(again, "mix", { service: "spotify" })).status).toBe(200);
    expect(spotify.log.token).toHaveLength(1);
    expect(spotify.log.created).toHaveLength(2);
    expect(spotify.log.authorize).toHaveLength(0);
  });

  it("is a 400 saying to authorize once in a terminal when no tokens are stored", async () => {
    const app = await appWith({ ...spotifyEnv(), SPOTIVEC_SPOTIFY_CLIENT_ID: CLIENT_ID });
    const r = await push(app, "mix", { service: "spotify" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("Spotify is not authorized");
    expect(r.body.error.hint).toContain('spotivec playlist push "mix" --spotify');
    expect(spotify.log.token).toHaveLength(0);
    expect(spotify.log.created).toHaveLength(0);
  });

  it("never starts the browser authorization: a refused refresh token is the same 400", async () => {
    storeTokens({ accessToken: "x", refreshToken: "revoked", expiresAt: 0 });
    const r = await push(await appWith(spotifyEnv()), "mix", { service: "spotify" });
    expect(r.status).toBe(400);
    expect(r.body.error.hint).toContain("--spotify");
    expect(spotify.log.authorize).toHaveLength(0);
    expect(spotify.log.created).toHaveLength(0);
  });

  it("is a 400 when the stored tokens belong to another client id", async () => {
    storeTokens({ accessToken: "x", refreshToken: "r", expiresAt: Date.now() + 3_600_000 });
    const app = await appWith({ ...spotifyEnv(), SPOTIVEC_SPOTIFY_CLIENT_ID: "another-client" });
    const r = await push(app, "mix", { service: "spotify" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("another client id");
  });

  it("maps Spotify's Development Mode 403 to PUSH_AUTH 502 with the allow-list hint", async () => {
    spotify.options.forbidden = "allowlist";
    spotify.seedRefreshToken("seeded");
    storeTokens({ accessToken: "x", refreshToken: "seeded", expiresAt: 0 });
    const r = await push(await appWith(spotifyEnv()), "mix", { service: "spotify" });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("PUSH_AUTH");
    expect(r.body.error.hint).toContain("User Management");
  });
});

describe("push routes", () => {
  it("says which services are configured, without secrets", async () => {
    storeTokens({ accessToken: "secret-access", refreshToken: "secret-refresh", expiresAt: 0 });
    const app = await appWith(subsonicEnv());
    const res = await app.request("/api/push/services");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      spotify: { configured: true, hint: null },
      subsonic: { configured: true, hint: null, server: subsonic.url, user: "ana" },
    });
    for (const secret of [PASSWORD, "secret-access", "secret-refresh"]) expect(text).not.toContain(secret);

    const bare = (await (
      await (await appWith({ XDG_CONFIG_HOME: join(dir, "none") })).request("/api/push/services")
    ).json()) as {
      spotify: { configured: boolean; hint: string };
      subsonic: { configured: boolean; hint: string };
    };
    expect(bare.spotify.configured).toBe(false);
    expect(bare.spotify.hint).toContain("--spotify");
    expect(bare.subsonic.configured).toBe(false);
    expect(bare.subsonic.hint).toContain("SPOTIVEC_SUBSONIC_URL");
  });

  it.each([
    ["an unknown playlist", "nothing-here", { service: "subsonic" }, 404, 'playlist named "nothing-here"'],
    ["an unknown service", "mix", { service: "tidal" }, 400, "spotify or subsonic"],
    ["no service", "mix", {}, 400, "service"],
    ["a secret in the body", "mix", { service: "subsonic", password: "x" }, 400, "password"],
    ["a body that is not JSON", "mix", "{not json", 400, "JSON"],
    ["a body over 1 KB", "mix", { service: "subsonic", pad: "x".repeat(2000) }, 413, "1 KB"],
  ])("answers a push with %s as an error", async (_, name, body, status, words) => {
    const r = await push(await appWith(subsonicEnv()), name, body);
    expect(r.status).toBe(status);
    expect(Object.keys(r.body)).toEqual(["error"]);
    expect(r.body.error.message).toContain(words);
  });
});
