import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { beforeAll, describe, expect, it } from "vitest";
import type { IngestSummary } from "../../src/ingest/pipeline.js";
import type { SearchResult } from "../../src/search/search.js";
import { cli, FIXTURE_IDS, tempDir, writeFixtures, writeGeneratedCatalog } from "../helpers.js";
import { MODEL_MISSING, modelAvailable, WITH_MINILM } from "./model.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "spotivec.js");

describe.skipIf(!modelAvailable())("ingest and search with the real model", () => {
  const dir = tempDir();
  const db = join(dir, "real.db");
  const fx = writeFixtures(dir);
  let summary: IngestSummary;

  beforeAll(async () => {
    const r = await cli([
      "ingest",
      fx.artists600k,
      fx.dataset114k,
      fx.tracks600k,
      "--db",
      db,
      ...WITH_MINILM,
      "--offline",
      "--json",
    ]);
    expect(r.code).toBe(0);
    summary = r.json<IngestSummary>();
  });

  it("stores every valid track of both layouts and rejects the bad rows", () => {
    expect(summary.model).toBe("Xenova/all-MiniLM-L6-v2");
    expect(summary.tracks.inserted).toBe(fx.validIds114k.length + fx.validIds600k.length);
    expect(summary.embedded).toBe(summary.tracks.inserted);
    expect(summary.rejected).toBe(fx.badRows114k + fx.badRows600k + 1);
  });

  const top = async (...args: string[]) =>
    (await cli(["search", ...args, "--db", db, "--offline", "--json"]))
      .json<{ results: SearchResult[] }>()
      .results.map((r) => r.id);

  it("finds tracks by what their descriptions say", async () => {
    expect((await top("sad slow piano", "--limit", "1"))[0]).toBe(FIXTURE_IDS.sadPiano);
    expect((await top("happy reggae", "--limit", "1"))[0]).toBe(FIXTURE_IDS.happyReggae);
    expect((await top("Guns N' Roses", "--limit", "1"))[0]).toBe(FIXTURE_IDS.newRock);
    expect((await top("cool jazz from the 1950s", "--limit", "1"))[0]).toBe(FIXTURE_IDS.oldJazz);
  });

  it("applies filters to text searches", async () => {
    const ids = await top("energetic music", "--energy-min", "0.9", "--limit", "10");
    // Exactly the fixture tracks with energy >= 0.9, whatever the text says.
    expect(ids.sort()).toEqual(
      [FIXTURE_IDS.techno, FIXTURE_IDS.technoTwin, FIXTURE_IDS.metal, FIXTURE_IDS.newRock].sort(),
    );
  });
});

describe.skipIf(!modelAvailable())("an ingest killed with SIGKILL", () => {
  const dir = tempDir();
  const csv = join(dir, "generated.csv");
  const db = join(dir, "killed.db");
  const ids = writeGeneratedCatalog(csv, 2500);

  const ingestProcess = () =>
    spawn(process.execPath, [BIN, "ingest", csv, "--db", db, ...WITH_MINILM, "--offline", "--quiet"], {
      stdio: "ignore",
    });

  const check = () => {
    const conn = new Database(db, { readonly: true });
    sqliteVec.load(conn);
    try {
      const integrity = conn.pragma("integrity_check", { simple: true });
      // Killed after the file was created but before the schema: an empty database, which the next run sets up.
      if (conn.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tracks'").get() === undefined) {
        return { integrity, tracks: 0, distinct: 0, vectors: 0, embedded: 0 };
      }
      const tracks = (conn.prepare("SELECT count(*) AS n, count(DISTINCT id) AS d FROM tracks").get() ?? {
        n: 0,
        d: 0,
      }) as {
        n: number;
        d: number;
      };
      const hasVectors =
        conn.prepare("SELECT 1 FROM sqlite_master WHERE name = 'track_vectors'").get() !== undefined;
      const vectors = hasVectors
        ? (conn.prepare("SELECT count(*) AS n FROM track_vectors").get() as { n: number }).n
        : 0;
      const embedded = (
        conn.prepare("SELECT count(*) AS n FROM tracks WHERE embedded_hash IS NOT NULL").get() as {
          n: number;
        }
      ).n;
      return { integrity, tracks: tracks.n, distinct: tracks.d, vectors, embedded };
    } finally {
      conn.close();
    }
  };

  const waitFor = async (until: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!until() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  };
  const embeddedNow = () => {
    try {
      return check().embedded;
    } catch {
      return 0; // not created yet
    }
  };

  it("leaves a valid database at every point, and the next run finishes without duplicates", async () => {
    const seen: number[] = [];
    // Kill while starting up, as soon as embedding has begun, and again half way through.
    const killPoints: Array<() => boolean> = [
      () => true,
      () => embeddedNow() > 0,
      () => embeddedNow() >= ids.length / 2,
    ];
    for (const [i, ready] of killPoints.entries()) {
      const child = ingestProcess();
      if (i === 0) await new Promise((r) => setTimeout(r, 300));
      else await waitFor(ready, 120_000);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      // Killed before it created the file is a valid outcome too.
      const state = existsSync(db) ? check() : null;
      if (state) {
        expect(state.integrity).toBe("ok");
        expect(state.tracks).toBe(state.distinct);
        expect(state.vectors).toBe(state.embedded);
      }
      seen.push(state?.embedded ?? 0);
    }
    // Each run went on from where the previous one stopped.
    expect(seen[1]).toBeGreaterThan(0);
    expect(seen[2]).toBeGreaterThanOrEqual(seen[1] ?? 0);
    expect(seen[2]).toBeLessThan(ids.length);
    const r = await cli(["ingest", csv, "--db", db, "--offline", "--json"]);
    const summary = r.json<IngestSummary>();
    expect(summary.tracks.inserted).toBe(0);
    expect(summary.embedded).toBe(ids.length - (seen[2] ?? 0));
    const final = check();
    expect(final).toEqual({
      integrity: "ok",
      tracks: ids.length,
      distinct: ids.length,
      vectors: ids.length,
      embedded: ids.length,
    });
  });
});

if (!modelAvailable()) {
  describe("ingest with the real model", () => {
    it.skip(`skipped: ${MODEL_MISSING}`, () => {});
  });
}
