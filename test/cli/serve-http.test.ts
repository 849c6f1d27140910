import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder, type Embedder } from "../../src/embed/embedder.js";
import { createApp } from "../../src/server/app.js";
import { type Listening, listen } from "../../src/server/listen.js";
import { createPooledService } from "../../src/server/pool.js";
import { createLocalService } from "../../src/server/service.js";
import { openStore, type Store } from "../../src/store/store.js";
import { cli, FIXTURE_IDS, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

type ErrorJson = { error: { code: string; message: string; hint: string } };

// The HTTP server around the app: binding, requests Node refuses before the app, and the main-thread lane.
describe("spotivec serve over HTTP", () => {
  let dir: string;
  let db: string;
  let store: Store;
  let embedder: Embedder;

  beforeAll(async () => {
    dir = tempDir();
    db = join(dir, "serve.db");
    expect((await ingestFixtures(writeFixtures(dir), db)).code).toBe(0);
    store = openStore(db);
    embedder = await createEmbedder("hash");
  });
  afterAll(() => store?.close());

  const serveArgs = (...more: string[]) => [
    "serve",
    "--db",
    db,
    "--model",
    "hash",
    "--workers",
    "0",
    ...more,
  ];

  it("says the port is taken, with a hint, instead of crashing", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await cli(serveArgs("--port", String(port), "--host", "127.0.0.1"));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} is already in use on 127.0.0.1`);
      expect(r.stderr).toContain("Choose another --port");
      expect(r.stderr).not.toContain("Unhandled");
      expect(r.stderr).not.toContain("internal error");
    } finally {
      blocker.close();
    }
  });

  it("says a host that does not resolve cannot be bound, hinting --host 127.0.0.1", async () => {
    const r = await cli(serveArgs("--port", "0", "--host", "no-such-host.invalid"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no-such-host.invalid");
    expect(r.stderr).toContain("--host 127.0.0.1");
    expect(r.stderr).not.toContain("internal error");
  });

  describe("on a real socket", () => {
    let server: Listening;
    let base: string;
    beforeAll(async () => {
      const app = createApp(createLocalService(store, embedder), { genreLabels: () => store.genreLabels() });
      server = await listen(app.fetch, { port: 0, host: "127.0.0.1" });
      base = `http://127.0.0.1:${server.port}`;
    });
    afterAll(() => server?.close());

    it("answers a URL over 16 KB with 431 and the { error } body, as OpenAPI documents", async () => {
      expect((await fetch(`${base}/api/search?q=techno`)).status).toBe(200);
      const res = await fetch(`${base}/api/search?q=${"a".repeat(20_000)}`);
      expect(res.status).toBe(431);
      expect(res.headers.get("content-type")).toContain("application/json");
      const body = (await res.json()) as ErrorJson;
      expect(Object.keys(body)).toEqual(["error"]);
      expect(Object.keys(body.error).sort()).toEqual(["code", "hint", "message"]);
      expect(body.error.message).toContain("16 KB");
      const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      for (const route of Object.values(doc.paths))
        for (const operation of Object.values(route))
          expect(Object.keys(operation.responses)).toContain("431");
      // The server still answers afterwards.
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
    });
  });

  it("closes after the requests in flight are answered, and closes idle keep-alive connections", async () => {
    const [released, release] = gate();
    const [arrived, started] = gate();
    const server = await listen(
      async () => {
        started();
        await released;
        return new Response("done");
      },
      { port: 0, host: "127.0.0.1" },
    );
    const answer = fetch(`http://127.0.0.1:${server.port}/slow`).then(async (r) => [
      r.status,
      await r.text(),
    ]);
    await arrived;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);
    release();
    expect(await answer).toEqual([200, "done"]);
    await closing;
    await expect(fetch(`http://127.0.0.1:${server.port}/slow`)).rejects.toThrow();
  });

  it("closes only after the app's calls settle, also those whose client has gone", async () => {
    const [released, release] = gate();
    const [arrived, started] = gate();
    let settled = false;
    const server = await listen(
      async () => {
        started();
        await released;
        settled = true;
        return new Response("late");
      },
      { port: 0, host: "127.0.0.1" },
    );
    const gone = new AbortController();
    const answer = fetch(`http://127.0.0.1:${server.port}/slow`, { signal: gone.signal }).catch(
      () => "aborted",
    );
    await arrived;
    gone.abort();
    expect(await answer).toBe("aborted");
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(settled).toBe(true);
  });

  it("answers health and track lookups on the main thread while searches hold every worker", async () => {
    // A worker that never finishes a search: whatever the pool sends it waits behind the first call.
    const worker = join(dir, "stuck-worker.mjs");
    writeFileSync(
      worker,
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => { for (;;) {} });\n',
    );
    const pool = createPooledService(db, embedder, 1, {
      main: createLocalService(store, embedder),
      workerUrl: new URL(`file://${worker}`),
    });
    const app = createApp(pool, { genreLabels: () => store.genreLabels() });
    try {
      const searches = [app.request("/api/search?q=sad%20piano"), app.request("/api/search?q=techno")];
      let searched = false;
      void Promise.all(searches).then(() => (searched = true));
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("queued behind searches")), 10_000),
      );
      const health = await Promise.race([app.request("/api/health"), timeout]);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", tracks: 12 });
      const track = await Promise.race([app.request(`/api/tracks/${FIXTURE_IDS.techno}`), timeout]);
      expect(track.status).toBe(200);
      expect(await track.json()).toMatchObject({ id: FIXTURE_IDS.techno });
      expect(searched).toBe(false);
    } finally {
      await pool.close();
    }
  });
});

/** A promise and the function that resolves it. */
function gate(): [Promise<void>, () => void] {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return [opened, open];
}
