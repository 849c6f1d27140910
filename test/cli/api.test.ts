import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embed/embedder.js";
import { createApp, PAGE_MODULES, SearchQuery } from "../../src/server/app.js";
import { createLocalService } from "../../src/server/service.js";
import { openStore, type Store } from "../../src/store/store.js";
import {
  cli,
  expectFeatures,
  FIXTURE_IDS,
  ingestFixtures,
  SAMPLE_FILTERS,
  tempDir,
  writeFixtures,
} from "../helpers.js";

// Every route and error of the HTTP API, in-process (app.request), over the fixture catalog.
describe("HTTP API", () => {
  let store: Store;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    const dir = tempDir();
    const db = join(dir, "api.db");
    const fx = writeFixtures(dir);
    expect((await ingestFixtures(fx, db)).code).toBe(0);
    store = openStore(db);
    app = createApp(createLocalService(store, await createEmbedder("hash")), {
      genreLabels: () => store.genreLabels(),
      env: { XDG_CONFIG_HOME: join(dir, "config") },
    });
  });
  afterAll(() => store?.close());

  const get = async (path: string) => {
    const res = await app.request(path);
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & {
        error?: { code: string; message: string; hint: string };
      },
    };
  };

  it("searches with the same { plan, results } as the CLI's --json", async () => {
    const api = await get("/api/search?q=fast%20sad%20techno&limit=3");
    expect(api.status).toBe(200);
    const viaCli = await cli(["search", "fast sad techno", "--limit", "3", "--db", store.path, "--json"]);
    expect(api.body).toEqual(viaCli.json());
  });

  it("applies every filter parameter to every result", async () => {
    const { status, body } = await get(`/api/search?q=music&limit=20&${SAMPLE_FILTERS.params}`);
    expect(status).toBe(200);
    const results = body.results as Array<{
      features: { tempo: number; energy: number; explicit: boolean; popularity: number };
    }>;
    expect(results.length).toBeGreaterThan(0);
    expectFeatures(results, SAMPLE_FILTERS.want);
    const genre = await get("/api/search?genre=jazz");
    expect((genre.body.results as Array<{ id: string }>).map((r) => r.id)).toContain(FIXTURE_IDS.oldJazz);
  });

  it("leaves out the constraints named in drop", async () => {
    const full = await get("/api/search?q=fast%20sad%20techno");
    const labels = (full.body.plan as { constraints: Array<{ label: string }> }).constraints.map(
      (c) => c.label,
    );
    expect(labels).toContain("fast");
    const dropped = await get("/api/search?q=fast%20sad%20techno&drop=fast");
    const after = dropped.body.plan as { constraints: Array<{ label: string }>; notes: string[] };
    expect(after.constraints.map((c) => c.label)).not.toContain("fast");
    expect(after.notes.join(" ")).toContain('left out "fast"');
  });

  it("names constraints by stable ids, and drop takes them", async () => {
    const full = await get("/api/search?q=fast%20sad%20techno");
    const constraints = (full.body.plan as { constraints: Array<{ id: string; label: string }> }).constraints;
    const fast = constraints.find((c) => c.label === "fast");
    expect(fast?.id).toBe("tempo-high");
    expect(new Set(constraints.map((c) => c.id)).size).toBe(constraints.length);
    const dropped = await get("/api/search?q=fast%20sad%20techno&drop=tempo-high");
    const after = dropped.body.plan as { constraints: Array<{ id: string }>; notes: string[] };
    expect(after.constraints.map((c) => c.id)).not.toContain("tempo-high");
    expect(after.notes.join(" ")).toContain('left out "fast"');
  });

  it("serves a track, similar tracks and health", async () => {
    const track = await get(`/api/tracks/${FIXTURE_IDS.techno}`);
    expect(track.status).toBe(200);
    expect(track.body).toMatchObject({
      id: FIXTURE_IDS.techno,
      name: "Target Lock",
      url: `https://open.spotify.com/track/${FIXTURE_IDS.techno}`,
    });
    const similar = await get(`/api/similar/${FIXTURE_IDS.techno}?limit=2`);
    expect(similar.status).toBe(200);
    const ids = (similar.body.results as Array<{ id: string }>).map((r) => r.id);
    expect(ids).not.toContain(FIXTURE_IDS.techno);
    expect(ids[0]).toBe(FIXTURE_IDS.technoTwin);
    const health = await get("/api/health");
    expect(health.body).toMatchObject({
      status: "ok",
      version: "0.1.0",
      tracks: 12,
      model: { model: "hash-256" },
    });
  });

  it.each([
    ["/api/search?q=x&bogus=1", 400, "unknown parameter(s): bogus"],
    ["/api/search?limit=101", 400, "limit"],
    ["/api/search?limit=abc", 400, "limit"],
    ["/api/search?energy_min=2", 400, "energy_min"],
    ["/api/search?tempo_min=fast", 400, "tempo_min"],
    [`/api/search?q=${"a".repeat(501)}`, 400, "q"],
    ["/api/search?explicit=maybe", 400, "explicit"],
    ["/api/search?genre=tecno", 400, "Unknown genre"],
    ["/api/tracks/nope", 400, "id"],
    ["/api/tracks/0000000000000000000099", 404, "no track"],
    ["/api/similar/0000000000000000000099", 404, "no track"],
    [`/api/similar/${FIXTURE_IDS.techno}?limit=0`, 400, "limit"],
    ["/api/nothing", 404, "no route"],
    [`/api/tracks/${FIXTURE_IDS.techno}?bogus=1`, 400, "unknown parameter(s): bogus"],
    ["/api/health?bogus=1", 400, "unknown parameter(s): bogus"],
    ["/api/search?tempo_min=", 400, "tempo_min"],
    ["/api/search?tempo_min=0x10", 400, "tempo_min"],
    ["/api/search?tempo_min=1e2", 400, "tempo_min"],
    ["/api/search?tempo_min=%20", 400, "tempo_min"],
    ["/api/search?limit=0x10", 400, "limit"],
    ["/api/search?limit=", 400, "limit"],
    [`/api/similar/${FIXTURE_IDS.techno}?limit=1e1`, 400, "limit"],
    ["/api/search?tempo_min=150&tempo_max=100", 400, "tempo_min is greater than tempo_max"],
    ["/api/search?energy_min=0.9&energy_max=0.1", 400, "energy_min=0.9, energy_max=0.1"],
    ["/api/search?q=fast%20sad%20techno&drop=zzz", 400, '"zzz"'],
  ])("answers %s with %i in the one error shape", async (path, status, words) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(Object.keys(r.body)).toEqual(["error"]);
    expect(Object.keys(r.body.error ?? {}).sort()).toEqual(["code", "hint", "message"]);
    expect(r.body.error?.message).toContain(words);
  });

  it.each([
    ["/api/health?bogus=1", "bogus"],
    ["/api/search?tempo_min=0x10", "tempo_min as a decimal number from 0"],
    ["/api/search?limit=", "limit as an integer from 1 to 100"],
    ["/api/search?tempo_min=150&tempo_max=100", "Swap tempo_min and tempo_max"],
    ["/api/search?explicit=maybe", "explicit as true or false"],
  ])("says how to fix %s in the hint", async (path, fix) => {
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(r.body.error?.hint).toContain(fix);
  });

  it("lists the plan's constraint ids when drop names none of them", async () => {
    const r = await get("/api/search?q=fast%20sad%20techno&drop=zzz");
    expect(r.body.error?.code).toBe("USAGE");
    expect(r.body.error?.message).toContain("tempo-high");
    expect(r.body.error?.hint).toContain("tempo-high");
  });

  it("reads plain decimal numbers, signs and leading dots included", async () => {
    const r = await get("/api/search?q=music&tempo_min=%2B100.5&energy_min=.5&limit=05");
    expect(r.status).toBe(200);
    for (const t of r.body.results as Array<{ features: { tempo: number; energy: number } }>) {
      expect(t.features.tempo).toBeGreaterThanOrEqual(100.5);
      expect(t.features.energy).toBeGreaterThanOrEqual(0.5);
    }
    expect((await get("/api/search?tempo_min=120&tempo_max=120")).status).toBe(200);
  });

  it("documents exactly its routes and parameters in OpenAPI", async () => {
    const doc = (await get("/api/openapi.json")).body as {
      paths: Record<string, { get?: { parameters?: Array<{ name: string; in: string }> } }>;
    };
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/health",
      "/api/map",
      "/api/playlists",
      "/api/playlists/{name}",
      "/api/playlists/{name}/export",
      "/api/playlists/{name}/push",
      "/api/push/services",
      "/api/search",
      "/api/similar/{id}",
      "/api/tracks/{id}",
    ]);
    expect(Object.keys(doc.paths["/api/playlists"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/playlists/{name}"] ?? {}).sort()).toEqual(["delete", "get"]);
    expect(Object.keys(doc.paths["/api/playlists/{name}/push"] ?? {})).toEqual(["post"]);
    const documented = (doc.paths["/api/search"]?.get?.parameters ?? [])
      .filter((p) => p.in === "query")
      .map((p) => p.name);
    expect(documented.sort()).toEqual(Object.keys(SearchQuery.shape).sort());
    // Each documented GET route answers (not the 404 of unknown routes).
    const saved = await send("POST", "/api/playlists", { name: "documented", ids: [FIXTURE_IDS.techno] });
    expect(saved.status).toBe(201);
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!item.get) continue;
      const r = await app.request(path.replace("{id}", FIXTURE_IDS.techno).replace("{name}", "documented"));
      expect(r.status, path).toBe(200);
    }
  });

  const send = async (method: string, path: string, body?: unknown, raw?: string) => {
    const res = await app.request(path, {
      method,
      headers: body === undefined && raw === undefined ? {} : { "content-type": "application/json" },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };

  it("maps the catalog's density on energy x valence", async () => {
    const r = await get("/api/map?bins=10");
    expect(r.status).toBe(200);
    const body = r.body as unknown as { x: string; y: string; bins: number; counts: number[][] };
    expect(body).toMatchObject({ x: "energy", y: "valence", bins: 10 });
    expect(body.counts).toHaveLength(10);
    for (const column of body.counts) expect(column).toHaveLength(10);
    expect(body.counts.flat().reduce((a, b) => a + b, 0)).toBe(12);
    // The techno fixture (energy 0.91, valence 0.08) lies in cell [9][0].
    expect(body.counts[9]?.[0]).toBeGreaterThanOrEqual(1);
    expect(((await get("/api/map")).body as { bins: number }).bins).toBe(40);
  });

  it("saves a picked playlist, lists, shows, exports and deletes it", async () => {
    const ids = [FIXTURE_IDS.sadPiano, FIXTURE_IDS.techno, FIXTURE_IDS.oldJazz];
    const saved = await send("POST", "/api/playlists", { name: "Late night / mix", ids, query: "sad piano" });
    expect(saved.status).toBe(201);
    expect(saved.json().tracks.map((t: { id: string }) => t.id)).toEqual(ids);
    expect(saved.json().source).toMatchObject({ query: "sad piano", picked: true, plan: null });

    const list = await get("/api/playlists");
    expect(list.body.playlists).toContainEqual(
      expect.objectContaining({ name: "Late night / mix", tracks: 3, query: "sad piano" }),
    );
    const name = encodeURIComponent("Late night / mix");
    const shown = await get(`/api/playlists/${name}`);
    expect(shown.status).toBe(200);
    expect((shown.body.tracks as Array<{ name: string }>).map((t) => t.name)).toContain("Target Lock");

    const m3u = await send("GET", `/api/playlists/${name}/export?format=m3u8`);
    expect(m3u.status).toBe(200);
    expect(m3u.headers.get("content-type")).toBe("audio/x-mpegurl; charset=utf-8");
    expect(m3u.headers.get("content-disposition")).toBe(
      `attachment; filename="Late night _ mix.m3u8"; filename*=UTF-8''Late%20night%20%2F%20mix.m3u8`,
    );
    expect(m3u.text.startsWith("#EXTM3U")).toBe(true);
    expect(m3u.text.match(/^#EXTINF:/gm)).toHaveLength(3);
    for (const id of ids) expect(m3u.text).toContain(`spotify:track:${id}`);
    const types = { xspf: "application/xspf+xml", csv: "text/csv", json: "application/json" };
    for (const [format, type] of Object.entries(types)) {
      const r = await send("GET", `/api/playlists/${name}/export?format=${format}`);
      expect(r.status, format).toBe(200);
      expect(r.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
      expect(r.headers.get("content-disposition")).toContain(`.${format}"`);
      expect(r.text).toContain(FIXTURE_IDS.techno);
    }

    // Saving the same name replaces it.
    expect((await send("POST", "/api/playlists", { name: "Late night / mix", ids: [ids[0]] })).status).toBe(
      201,
    );
    expect(((await get(`/api/playlists/${name}`)).body.tracks as unknown[]).length).toBe(1);

    const deleted = await send("DELETE", `/api/playlists/${name}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toEqual({ deleted: true, name: "Late night / mix" });
    expect((await send("DELETE", `/api/playlists/${name}`)).status).toBe(404);
    expect((await get(`/api/playlists/${name}`)).status).toBe(404);
  });

  it("writes playlists through its own writable connection, opened on the first write", async () => {
    const reader = openStore(store.path, { readonly: true });
    let opened = 0;
    const writable = createApp(
      createLocalService(reader, await createEmbedder("hash"), {
        writer: () => {
          opened++;
          return openStore(reader.path, { mustExist: true });
        },
      }),
      { genreLabels: () => reader.genreLabels() },
    );
    expect((await writable.request("/api/playlists")).status).toBe(200);
    expect((await writable.request("/api/map?bins=4")).status).toBe(200);
    expect(opened).toBe(0);
    const post = (name: string) =>
      writable.request("/api/playlists", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, ids: [FIXTURE_IDS.metal] }),
      });
    expect((await post("from a reader")).status).toBe(201);
    expect((await post("from a reader too")).status).toBe(201);
    expect(opened).toBe(1);
    // The read connection sees what the writer saved.
    expect(
      ((await (await writable.request("/api/playlists/from%20a%20reader")).json()) as { name: string }).name,
    ).toBe("from a reader");
    reader.close();
  });

  it.each([
    ["POST", "/api/playlists", { ids: [FIXTURE_IDS.techno] }, 400, "name"],
    ["POST", "/api/playlists", { name: "x", ids: [] }, 400, "at least one track id"],
    ["POST", "/api/playlists", { name: "x", ids: ["nope"] }, 400, "ids.0"],
    ["POST", "/api/playlists", { name: "   ", ids: [FIXTURE_IDS.techno] }, 400, "name"],
    ["POST", "/api/playlists", { name: "a\u0007b", ids: [FIXTURE_IDS.techno] }, 400, "name"],
    ["POST", "/api/playlists", { name: "x".repeat(101), ids: [FIXTURE_IDS.techno] }, 400, "name"],
    ["POST", "/api/playlists", { name: "x", ids: [FIXTURE_IDS.techno], bogus: 1 }, 400, "bogus"],
    ["POST", "/api/playlists", { name: "x", ids: ["0000000000000000000099"] }, 400, "not in the catalog"],
    ["POST", "/api/playlists", "{not json", 400, "JSON"],
    ["GET", "/api/playlists/nothing-here", undefined, 404, 'playlist named "nothing-here"'],
    ["GET", "/api/playlists/nothing-here/export?format=m3u8", undefined, 404, "nothing-here"],
    ["GET", "/api/playlists/x/export?format=wav", undefined, 400, "format"],
    ["DELETE", "/api/playlists/nothing-here", undefined, 404, "nothing-here"],
    ["GET", "/api/playlists?bogus=1", undefined, 400, "bogus"],
    ["GET", "/api/map?bins=3", undefined, 400, "bins"],
    ["GET", "/api/map?bins=101", undefined, 400, "bins"],
    ["GET", "/api/map?bins=1e1", undefined, 400, "bins"],
  ])("answers %s %s with the one error shape", async (method, path, body, status, words) => {
    const raw = typeof body === "string" ? body : undefined;
    const r = await send(method, path, typeof body === "string" ? undefined : body, raw);
    expect(r.status).toBe(status);
    expect(Object.keys(r.json())).toEqual(["error"]);
    expect(r.json().error.message).toContain(words);
  });

  it("refuses a playlist body over 256 KB with 413", async () => {
    const r = await send(
      "POST",
      "/api/playlists",
      undefined,
      JSON.stringify({ name: "big", ids: [], pad: "x".repeat(300_000) }),
    );
    expect(r.status).toBe(413);
    expect(r.json().error.message).toContain("256 KB");
  });

  it("serves the page", async () => {
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain('<input id="q"');
    for (const name of PAGE_MODULES) {
      const js = await app.request(`/${name}`);
      expect(js.status, name).toBe(200);
      expect(js.headers.get("content-type")).toContain("text/javascript");
    }
    // Every module the page imports is served.
    const app_js = await (await app.request("/app.js")).text();
    for (const m of app_js.matchAll(/from "\.\/([\w-]+\.js)"/g)) expect(PAGE_MODULES).toContain(m[1]);
  });
});
