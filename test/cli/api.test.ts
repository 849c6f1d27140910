import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embed/embedder.js";
import { createApp, SearchQuery } from "../../src/server/app.js";
import { createLocalService } from "../../src/server/service.js";
import { openStore, type Store } from "../../src/store/store.js";
import { cli, FIXTURE_IDS, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

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
    const { status, body } = await get(
      "/api/search?q=music&limit=20&tempo_min=100&tempo_max=200&energy_min=0.5&explicit=false&popularity_min=40",
    );
    expect(status).toBe(200);
    const results = body.results as Array<{
      features: { tempo: number; energy: number; explicit: boolean; popularity: number };
    }>;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.features.tempo).toBeGreaterThanOrEqual(100);
      expect(r.features.tempo).toBeLessThanOrEqual(200);
      expect(r.features.energy).toBeGreaterThanOrEqual(0.5);
      expect(r.features.explicit).toBe(false);
      expect(r.features.popularity).toBeGreaterThanOrEqual(40);
    }
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
      paths: Record<string, { get: { parameters?: Array<{ name: string; in: string }> } }>;
    };
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/health",
      "/api/search",
      "/api/similar/{id}",
      "/api/tracks/{id}",
    ]);
    const documented = (doc.paths["/api/search"]?.get.parameters ?? [])
      .filter((p) => p.in === "query")
      .map((p) => p.name);
    expect(documented.sort()).toEqual(Object.keys(SearchQuery.shape).sort());
    // Each documented route answers (not the 404 of unknown routes).
    for (const path of Object.keys(doc.paths)) {
      const r = await app.request(path.replace("{id}", FIXTURE_IDS.techno));
      expect(r.status).toBe(200);
    }
  });

  it("serves the page", async () => {
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain('<input id="q"');
    expect((await app.request("/app.js")).status).toBe(200);
  });
});
