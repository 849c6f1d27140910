import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embed/embedder.js";
import { createApp } from "../../src/server/app.js";
import { createLocalService } from "../../src/server/service.js";
import { openStore, type Store } from "../../src/store/store.js";
import { FIXTURE_IDS, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

interface Schema {
  type?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  enum?: string[];
  pattern?: string;
  anyOf?: Schema[];
}
interface Parameter {
  name: string;
  in: "query" | "path";
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, unknown>;
}
type Method = "get" | "post" | "delete";
type Doc = { paths: Record<string, Partial<Record<Method, Operation>>> };
type Sent = { path: string; method?: Method; body?: string; operation: Operation | null };

const WORDS = [
  "fast sad techno",
  "by Radiohead",
  "around 170 bpm",
  "not explicit",
  "jazz as hardstyle",
  "80s",
];
const GARBAGE = [
  "",
  " ",
  "0x10",
  "1e2",
  "NaN",
  "Infinity",
  "-0",
  "+",
  ".",
  "1.",
  "１２",
  "abc",
  "%",
  "\u0000",
];

/** Random values for one declared parameter: valid ones, near misses and anything at all. */
function valueFor(schema: Schema, labels: string[]): fc.Arbitrary<string | string[]> {
  const any = fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 12 }));
  if (schema.type === "number" || schema.type === "integer") {
    const min = schema.minimum ?? -1e6;
    const max = schema.maximum ?? 1e6;
    const inRange =
      schema.type === "integer"
        ? fc.integer({ min, max }).map(String)
        : fc.double({ min, max, noNaN: true }).map((n) => String(Math.round(n * 1000) / 1000));
    const outside = fc.oneof(fc.double({ noNaN: true }), fc.integer()).map(String);
    return fc.oneof(
      { weight: 3, arbitrary: inRange },
      { weight: 1, arbitrary: outside },
      { weight: 1, arbitrary: any },
    );
  }
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), any);
  if (schema.anyOf) {
    const one = fc.oneof(fc.constantFrom(...labels, "tempo-high", "genre-techno", "fast"), any);
    return fc.oneof(one, fc.array(one, { maxLength: 3 }));
  }
  return fc.oneof(
    fc.constantFrom(...WORDS),
    fc.string({ maxLength: 40 }),
    fc.constant("a".repeat((schema.maxLength ?? 500) + 1)),
  );
}

const PLAYLIST_NAMES = fc.oneof(
  fc.constantFrom("saved", "nothing here", "a/b", "%", " "),
  fc.string({ maxLength: 110 }),
);

/** A body for `POST /api/playlists`: valid ones, near misses, and anything at all (not always JSON). */
const BODIES = fc.oneof(
  fc
    .record({
      name: PLAYLIST_NAMES,
      ids: fc.array(
        fc.oneof(fc.constantFrom(...Object.values(FIXTURE_IDS)), fc.stringMatching(/^[0-9A-Za-z]{22}$/)),
        { maxLength: 4 },
      ),
      query: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    })
    .map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 30 }),
);

/** A body for `POST /api/playlists/{name}/push`: the two services, others, extra keys, not JSON. */
const PUSH_BODIES = fc.oneof(
  fc
    .record({
      service: fc.oneof(fc.constantFrom("spotify", "subsonic", "tidal", ""), fc.string({ maxLength: 10 })),
    })
    .map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 30 }),
);

/** A request to a documented route: some of its query parameters, an id, maybe unknown parameters. */
function requestFor(
  path: string,
  method: Method,
  operation: Operation,
  labels: string[],
): fc.Arbitrary<Sent> {
  const query = (operation.parameters ?? []).filter((p) => p.in === "query");
  const params = fc.record(
    Object.fromEntries(query.map((p) => [p.name, fc.option(valueFor(p.schema, labels), { nil: undefined })])),
  );
  const unknown = fc.option(
    fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 })),
    {
      nil: undefined,
    },
  );
  const id = fc.oneof(
    fc.constantFrom(...Object.values(FIXTURE_IDS)),
    fc.stringMatching(/^[0-9A-Za-z]{22}$/),
    fc.string({ maxLength: 30 }),
  );
  const body = method !== "post" ? fc.constant(undefined) : path.endsWith("/push") ? PUSH_BODIES : BODIES;
  return fc
    .tuple(params, unknown, id, PLAYLIST_NAMES, body)
    .map(([values, extra, idValue, name, sentBody]) => {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(values)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
      }
      if (extra) search.append(extra[0], extra[1]);
      const url = path
        .replace("{id}", encodeURIComponent(idValue))
        .replace("{name}", encodeURIComponent(name));
      const qs = search.toString();
      return { path: qs ? `${url}?${qs}` : url, method, body: sentBody, operation };
    });
}

const ODD_PATHS = fc.oneof(
  fc.constantFrom(
    "/api",
    "/api/",
    "/api/tracks/",
    "/api/tracks",
    "/api/search/",
    "/api//search",
    "/api/SEARCH",
    "/api/tracks/%00",
    "/api/tracks/..%2F..%2Fetc%2Fpasswd",
    "/api/similar/%E0%A4%A",
    "/api/search?%",
    "/api/search?q=%E0%A4%A",
    "/api/health/extra",
    "/api/playlists/",
    "/api/playlists/saved/export/",
    "/api/playlists/%2e%2e",
    "/api/map/",
    "/api/push/services/",
    "/api/playlists/saved/push/",
    "/%2e%2e/%2e%2e/etc/passwd",
  ),
  fc.webPath().map((p) => `/api${p}`),
);

// Requests generated from /api/openapi.json against the in-process app over the fixture catalog.
describe("HTTP API against its OpenAPI document", () => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let doc: Doc;
  let labels: string[];

  beforeAll(async () => {
    const dir = tempDir();
    const db = join(dir, "api.db");
    expect((await ingestFixtures(writeFixtures(dir), db)).code).toBe(0);
    store = openStore(db);
    labels = store.genreLabels();
    // No push service is set up: pushes answer 400 (or 404), never reaching out.
    app = createApp(createLocalService(store, await createEmbedder("hash")), {
      genreLabels: () => labels,
      env: { XDG_CONFIG_HOME: join(dir, "config") },
    });
    doc = (await (await app.request("/api/openapi.json")).json()) as Doc;
    const saved = await app.request("/api/playlists", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "saved", ids: [FIXTURE_IDS.techno] }),
    });
    expect(saved.status).toBe(201);
  });
  afterAll(() => store?.close());

  /** No 5xx but a documented 503, only statuses the route documents, and the one error body on errors. */
  async function check({ path, method = "get", body, operation }: Sent): Promise<void> {
    const res = await app.request(path, {
      method: method.toUpperCase(),
      ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
    });
    const where = `${res.status} for ${method.toUpperCase()} ${path}${body === undefined ? "" : ` ${body}`}`;
    if (operation) expect(Object.keys(operation.responses), where).toContain(String(res.status));
    else expect([200, 400, 404], where).toContain(res.status);
    if (res.status >= 500) expect(operation?.responses["503"] && res.status, where).toBe(503);
    if (res.status >= 400) {
      const body = (await res.json()) as { error?: Record<string, unknown> };
      expect(Object.keys(body), where).toEqual(["error"]);
      for (const key of ["code", "message", "hint"]) expect(typeof body.error?.[key], where).toBe("string");
    }
  }

  it("answers every generated request with a documented status", async () => {
    const routes = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) =>
        requestFor(path, method as Method, operation, labels),
      ),
    );
    expect(routes).toHaveLength(12);
    await fc.assert(fc.asyncProperty(fc.oneof(...routes), check), { numRuns: 300 });
  });

  it("refuses a number parameter that is not a plain decimal, naming it", async () => {
    const numeric = Object.entries(doc.paths).flatMap(([path, item]) =>
      (item.get?.parameters ?? [])
        .filter((p) => p.in === "query" && (p.schema.type === "number" || p.schema.type === "integer"))
        .map((p) => ({
          path: path.replace("{id}", FIXTURE_IDS.techno).replace("{name}", "saved"),
          name: p.name,
        })),
    );
    expect(numeric.map((n) => n.name)).toContain("bins");
    expect(numeric.length).toBeGreaterThan(10);
    const notDecimal = fc.oneof(
      fc.constantFrom("", " ", "0x10", "0b1", "0o7", "1e2", "1E-1", "NaN", "Infinity", "1_0", "1,5", "10 "),
      fc.stringMatching(/^[a-z]{1,6}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...numeric), notDecimal, async ({ path, name }, value) => {
        const res = await app.request(`${path}?${new URLSearchParams({ [name]: value })}`);
        expect(res.status, `${name}=${JSON.stringify(value)}`).toBe(400);
        const body = (await res.json()) as { error: { message: string } };
        expect(body.error.message).toContain(name);
      }),
      { numRuns: 100 },
    );
  });

  it("answers odd paths with the one error body", async () => {
    await fc.assert(
      fc.asyncProperty(ODD_PATHS, (path) => check({ path, operation: null })),
      { numRuns: 100 },
    );
  });
});
