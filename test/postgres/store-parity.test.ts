/**
 * The PostgreSQL store against the SQLite one: the same files ingested into both answer the same reads and searches
 * (the SQLite side scans exactly; the PostgreSQL side uses its HNSW index), and its own failures are clear.
 */
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  acquireWriterLock,
  openStore,
  type Store,
  type StoredTrack,
  type TrackFilters,
} from "../../src/store/store.js";
import { cli, ingestFixtures, tempDir, writeFixtures, writeGeneratedCatalog } from "../helpers.js";
import { createTestDatabase, describeWithPostgres, type TestDatabase } from "../postgres.js";
import { BUILT, startServe } from "../web/serve-process.js";

type SearchJson = { results: Array<{ id: string }> };

const SEARCHES: string[][] = [
  ["dark techno with high energy"],
  ["track number 120", "--energy-min", "0.2"],
  ["track number 390", "--genre", "jazz"],
  ["calm acoustic songs", "--tempo-max", "110"],
  ["--genre", "ambient", "--popularity-min", "40"],
  ["songs by Artist 12"],
  ["album 3", "--explicit"],
];

const FILTERS: TrackFilters[] = [
  {},
  { genres: ["jazz", "punk"] },
  { ranges: { energy: { min: 0.8 }, tempo: { max: 120 } } },
  { ranges: { key: { min: 2, max: 2 } }, explicit: false },
  { artists: ["artist 5"] },
];

describeWithPostgres("the PostgreSQL store", (serverUrl) => {
  const dir = tempDir();
  const sqlite = join(dir, "tracks.db");
  const generated = join(dir, "generated.csv");
  let pg: TestDatabase;
  let stores: { sqlite: Store; pg: Store };

  beforeAll(async () => {
    pg = await createTestDatabase(serverUrl);
    const fx = writeFixtures(dir);
    writeGeneratedCatalog(generated, 600);
    for (const db of [sqlite, pg.url]) {
      const r = await ingestFixtures(fx, db, [fx.dataset114k, fx.tracks600k, fx.artists600k, generated]);
      expect(r.code, r.stderr).toBe(0);
    }
    stores = { sqlite: openStore(sqlite, { readonly: true }), pg: openStore(pg.url, { readonly: true }) };
  }, 120_000);

  afterAll(async () => {
    stores?.sqlite.close();
    stores?.pg.close();
    await pg?.drop();
  });

  it("holds the same catalog, with its vectors under a pgvector HNSW index", async () => {
    expect(stores.pg.stats()).toEqual(stores.sqlite.stats());
    expect(stores.pg.stats().embedded).toBeGreaterThan(600);
    expect(stores.pg.indexState?.()).toMatchObject({ mode: "hnsw", vectors: stores.pg.stats().embedded });
    const again = await cli(["ingest", generated, "--db", pg.url, "--model", "hash", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<{ tracks: { unchanged: number }; embedded: number }>()).toMatchObject({
      tracks: { unchanged: 600 },
      embedded: 0,
    });
  });

  it("answers the catalog reads the same way", () => {
    const { sqlite: a, pg: b } = stores;
    expect(b.genreLabels()).toEqual(a.genreLabels());
    expect(b.genreOverlap("techno")).toEqual(a.genreOverlap("techno"));
    expect(b.featureDensity("energy", "danceability", 7)).toEqual(
      a.featureDensity("energy", "danceability", 7),
    );
    expect(b.artistNamesStartingWith("artist 1", 50).sort()).toEqual(
      a.artistNamesStartingWith("artist 1", 50).sort(),
    );
    expect(b.findArtist("artist 12")).toBe(a.findArtist("artist 12"));
    expect(b.findTitles("Track number 42", 5).map((t) => t.id)).toContain("gen0000000000000000042");
    const some = a.filterOnly(20, {});
    expect(b.getTracks(some)).toEqual(a.getTracks(some));
    const ids = [...a.getTracks(some).map((t) => t.id), "not-a-stored-id"];
    const byId = (ts: StoredTrack[]) => [...ts].sort((x, y) => x.id.localeCompare(y.id));
    expect(byId(b.tracksByIds(ids))).toEqual(byId(a.tracksByIds(ids)));
    expect(a.tracksByIds(ids)).toHaveLength(some.length);
    expect(b.versionsOf(some).sort()).toEqual(a.versionsOf(some).sort());
    for (const f of FILTERS) {
      expect(b.countMatching(f), JSON.stringify(f)).toBe(a.countMatching(f));
      expect(b.filterOnly(15, f), JSON.stringify(f)).toEqual(a.filterOnly(15, f));
      expect(b.profile(f)?.count, JSON.stringify(f)).toBe(a.profile(f)?.count);
    }
  });

  it("finds exactly the same nearest tracks when both scan exactly", () => {
    const exact = { readonly: true, vectorSearch: { useIndex: false } } as const;
    const [a, b] = [openStore(sqlite, exact), openStore(pg.url, exact)];
    try {
      for (const probe of a.filterOnly(3, {})) {
        const v = a.vectorsOf([probe]).get(probe) as Float32Array;
        for (const f of FILTERS) {
          // Ties aside: the two compute cosine distance in different precision, so near-equal ones may swap.
          const [ha, hb] = [a.knn(v, 25, f), b.knn(v, 25, f)];
          expect(hb.length, JSON.stringify(f)).toBe(ha.length);
          for (const [i, h] of hb.entries()) expect(h.distance).toBeCloseTo(ha[i]?.distance ?? Number.NaN, 5);
          const last = ha.at(-1)?.distance ?? 0;
          const inside = (hits: typeof ha) =>
            hits
              .filter((h) => h.distance < last - 1e-5)
              .map((h) => h.rowid)
              .sort((x, y) => x - y);
          expect(inside(hb), JSON.stringify(f)).toEqual(inside(ha));
        }
      }
    } finally {
      a.close();
      b.close();
    }
  });

  it("finds the same nearest tracks, filtered or not (k rows whenever k tracks pass)", () => {
    const { sqlite: a, pg: b } = stores;
    for (const probe of a.filterOnly(5, {})) {
      const v = a.vectorsOf([probe]).get(probe) as Float32Array;
      expect(Array.from(b.vectorsOf([probe]).get(probe) as Float32Array)).toEqual(Array.from(v));
      for (const f of FILTERS) {
        const exact = a.knn(v, 30, f).map((h) => h.rowid);
        const got = b.knn(v, 30, f).map((h) => h.rowid);
        expect(got.length, JSON.stringify(f)).toBe(exact.length);
        const shared = got.filter((r) => exact.includes(r)).length;
        expect(shared / Math.max(1, exact.length), JSON.stringify(f)).toBeGreaterThanOrEqual(0.9);
      }
    }
  });

  it("returns the same search results through the CLI", async () => {
    let shared = 0;
    let total = 0;
    for (const q of SEARCHES) {
      const run = async (db: string) => {
        const r = await cli(["search", ...q, "--db", db, "--json", "--limit", "10"]);
        expect(r.code, r.stderr).toBe(0);
        return r.json<SearchJson>().results.map((t) => t.id);
      };
      const [a, b] = [await run(sqlite), await run(pg.url)];
      expect(b.length, q.join(" ")).toBe(a.length);
      shared += b.filter((id) => a.includes(id)).length;
      total += a.length;
    }
    expect(total).toBeGreaterThan(40);
    expect(shared / total).toBeGreaterThanOrEqual(0.9);
  });

  it("exports the same vectors", async () => {
    const exported = async (db: string) => {
      const r = await cli(["export", join(tempDir(), "out"), "--format", "jsonl", "--db", db, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const { vectors, dims, model } = r.json<{ vectors: number; dims: number; model: string }>();
      return { vectors, dims, model };
    };
    expect(await exported(pg.url)).toEqual(await exported(sqlite));
  });

  it("finds the same similar tracks", async () => {
    const similar = async (db: string) => {
      const r = await cli(["similar", "gen0000000000000000042", "--db", db, "--json", "--limit", "10"]);
      expect(r.code, r.stderr).toBe(0);
      return r.json<SearchJson>().results.map((t) => t.id);
    };
    const [a, b] = [await similar(sqlite), await similar(pg.url)];
    expect(a.length).toBe(10);
    expect(b.filter((id) => a.includes(id)).length).toBeGreaterThanOrEqual(9);
  });

  it.skipIf(!BUILT)(
    "is served over HTTP by search worker threads, each with its own connection",
    async () => {
      const { url, child } = await startServe(pg.url, ["--model", "hash", "--workers", "2"]);
      try {
        const answers = await Promise.all(
          ["track number 7", "calm acoustic", "jazz", "dark techno"].map(async (q) => {
            const res = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}&limit=5`);
            const body = await res.text();
            expect(res.status, body).toBe(200);
            return (JSON.parse(body) as SearchJson).results.length;
          }),
        );
        expect(answers).toEqual([5, 5, 5, 5]);
        const health = await fetch(`${url}/api/health`);
        expect(await health.json()).toMatchObject({ status: "ok", tracks: stores.pg.stats().tracks });
      } finally {
        child.kill("SIGTERM");
      }
    },
  );

  it("keeps likes and playlists", async () => {
    const likes = join(dir, "likes.txt");
    await import("node:fs").then((fs) =>
      fs.writeFileSync(likes, "Artist 7 - Track number 7\nArtist 9 - Track number 9\n"),
    );
    for (const db of [sqlite, pg.url]) {
      const r = await cli(["likes", "import", likes, "--db", db, "--json"]);
      expect(r.code, r.stderr).toBe(0);
    }
    const list = async (db: string) => (await cli(["likes", "list", "--db", db, "--json"])).stdout;
    const listed = JSON.parse(await list(pg.url));
    expect(listed).toEqual(JSON.parse(await list(sqlite)));
    expect(JSON.stringify(listed)).toContain("Track number 9");
    const writer = openStore(pg.url, { mustExist: true });
    try {
      const record = {
        name: "mix",
        query: "q",
        source: { q: 1 },
        tracks: [{ id: "a" }],
        createdAt: "t0",
        updatedAt: "t1",
      };
      writer.putPlaylist(record);
      writer.putPlaylist({ ...record, tracks: [{ id: "b" }, { id: "c" }] });
      expect(writer.playlistRecord("mix")?.tracks).toEqual([{ id: "b" }, { id: "c" }]);
      expect(writer.playlistSummaries()).toEqual([{ name: "mix", tracks: 2, query: "q", updatedAt: "t1" }]);
      expect(writer.removePlaylist("mix")).toBe(true);
      expect(writer.removePlaylist("mix")).toBe(false);
    } finally {
      writer.close();
    }
  });

  it("lets one ingest write at a time (a session lock the server frees with its session)", async () => {
    const held = await acquireWriterLock(pg.url);
    try {
      const busy = await cli(["ingest", generated, "--db", pg.url, "--model", "hash", "--json", "--no-wait"]);
      expect(busy.code).toBe(1);
      expect(busy.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: "DB_BUSY",
      });
    } finally {
      held.release();
    }
    const free = await cli(["ingest", generated, "--db", pg.url, "--model", "hash", "--json", "--no-wait"]);
    expect(free.code, free.stderr).toBe(0);
  });

  it("says what it cannot do, and never shows the password", async () => {
    const lyrics = join(dir, "lyrics.csv");
    await import("node:fs").then((fs) =>
      fs.writeFileSync(lyrics, "artist,song,link,text\nArtist 7,Track number 7,x,la la\n"),
    );
    // A reader changes nothing, as a read-only SQLite connection.
    expect(() => stores.pg.removePlaylist("anything")).toThrow(/read-only/);
    const enrich = await cli(["enrich", "lyrics", lyrics, "--db", pg.url, "--model", "hash", "--json"]);
    expect(enrich.code).toBe(1);
    expect(enrich.json<{ error: { code: string } }>().error.code).toBe("DB_UNSUPPORTED");

    const empty = await createTestDatabase(serverUrl);
    try {
      const r = await cli(["search", "anything", "--db", empty.url, "--json"]);
      expect(r.json<{ error: { code: string } }>().error.code).toBe("EMPTY_STORE");
    } finally {
      await empty.drop();
    }

    const wrong = new URL(pg.url);
    wrong.username = "nobody_here";
    wrong.password = "hunter2";
    wrong.port = "1";
    const r = await cli(["info", "--db", wrong.href, "--json"]);
    expect(r.code).toBe(1);
    expect(r.json<{ error: { code: string } }>().error.code).toBe("DB_ERROR");
    expect(r.stdout + r.stderr).not.toContain("hunter2");
  });
});
