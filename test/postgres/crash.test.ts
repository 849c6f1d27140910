/**
 * An ingest into PostgreSQL killed (SIGKILL) in the middle of embedding (its first 256 vectors saved, the next batch
 * under way) leaves a valid catalog, and the next ingest finishes it: every track once, every vector once, nothing
 * embedded twice.
 */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cli, tempDir, writeGeneratedCatalog } from "../helpers.js";
import { createTestDatabase, describeWithPostgres, type TestDatabase, withClient } from "../postgres.js";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** Ingests in a process of its own that kills itself once `after` descriptions are embedded. */
function ingestKilledWhileEmbedding(db: string, file: string, after: number): Promise<NodeJS.Signals | null> {
  const script = `
    const { ingest } = await import(${JSON.stringify(resolve(ROOT, "src/ingest/pipeline.ts"))});
    const { openStore } = await import(${JSON.stringify(resolve(ROOT, "src/store/store.ts"))});
    const { createEmbedder } = await import(${JSON.stringify(resolve(ROOT, "src/embed/embedder.ts"))});
    const [db, file, after] = process.argv.slice(1);
    await ingest({
      files: [file], store: openStore(db), embedder: await createEmbedder("hash"), embedBatch: 16,
      rejectsPath: ${JSON.stringify(join(tempDir(), "rejects.jsonl"))},
      progress: (e) => { if (e.phase === "embed" && e.done >= Number(after)) process.kill(process.pid, "SIGKILL"); },
    });`;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script, db, file, String(after)],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: "ignore",
    },
  );
  return new Promise((end) => child.on("close", (_code, signal) => end(signal)));
}

describeWithPostgres("an ingest into PostgreSQL killed while embedding", (serverUrl) => {
  let db: TestDatabase;
  const file = join(tempDir(), "catalog.csv");

  beforeAll(async () => {
    db = await createTestDatabase(serverUrl);
    writeGeneratedCatalog(file, 400);
  });
  afterAll(async () => db?.drop());

  it("leaves a valid catalog that the next ingest completes, embedding each track once", async () => {
    expect(await ingestKilledWhileEmbedding(db.url, file, 300)).toBe("SIGKILL");
    const counts = () =>
      withClient(db.url, async (c) => {
        const r = await c.query(
          "SELECT count(*)::int AS tracks, count(embedding)::int AS vectors, count(DISTINCT id)::int AS ids FROM spotivec.tracks",
        );
        return r.rows[0] as { tracks: number; vectors: number; ids: number };
      });
    const killed = await counts();
    expect(killed.tracks).toBe(400);
    expect(killed.vectors).toBeGreaterThan(0);
    expect(killed.vectors).toBeLessThan(400);

    const again = await cli(["ingest", file, "--db", db.url, "--model", "hash", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    const report = again.json<{ tracks: { unchanged: number }; embedded: number }>();
    expect(report.tracks.unchanged).toBe(400);
    expect(report.embedded).toBe(400 - killed.vectors);
    expect(await counts()).toEqual({ tracks: 400, vectors: 400, ids: 400 });
    const info = (await cli(["info", "--db", db.url, "--json"])).json<{
      embedded: number;
      vectorIndex: { vectors: number; mode: string };
    }>();
    expect(info).toMatchObject({ embedded: 400, vectorIndex: { vectors: 400, mode: "hnsw" } });
  });
});
