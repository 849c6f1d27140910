import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import type { IngestSummary } from "../../src/ingest/pipeline.js";
import { acquireWriterLock, lockPathFor } from "../../src/store/store.js";
import { cli, FIXTURE_IDS, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const CLI = resolve(ROOT, "src", "cli", "cli.ts");

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from source in a process of its own (as two terminals would run it); `stderr()` reads it so far. */
function spawnCli(args: string[]): { done: Promise<Exit>; stderr: () => string; exited: () => boolean } {
  const script = `const { run } = await import(${JSON.stringify(CLI)}); process.exitCode = await run(process.argv.slice(1));`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  let exited = false;
  const done = new Promise<Exit>((end) =>
    child.on("close", (code) => {
      exited = true;
      end({ code, stdout, stderr });
    }),
  );
  return { done, stderr: () => stderr, exited: () => exited };
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function foreignDatabase(dir: string): string {
  const path = join(dir, "other-app.sqlite");
  const db = new Database(path);
  db.exec(
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('keep me')",
  );
  db.close();
  return path;
}

function journalMode(path: string): string {
  const db = new Database(path, { readonly: true });
  const mode = db.pragma("journal_mode", { simple: true }) as string;
  db.close();
  return mode;
}

type ErrorJson = { error: { code: string; message: string; expected?: string; got?: string; hint: string } };

describe("two ingests on one database", () => {
  const dir = tempDir();
  const fx = writeFixtures(dir);
  const files = [fx.dataset114k, fx.tracks600k, fx.artists600k];
  const trackCount = fx.validIds114k.length + fx.validIds600k.length;

  it("run one after the other in separate processes, embedding every track once", async () => {
    const db = join(dir, "both.db");
    // Hold the lock while both start, so both must queue whatever the machine's speed.
    const held = await acquireWriterLock(db);
    const args = ["ingest", ...files, "--db", db, "--model", "hash", "--json", "--quiet"];
    const runs = [spawnCli(args), spawnCli(args)];
    const waiting = `another ingest is running on this database (pid ${process.pid}); waiting`;
    const bothWaiting = () => runs.every((r) => r.stderr().includes(waiting));
    for (let i = 0; i < 600 && !bothWaiting() && !runs.some((r) => r.exited()); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(existsSync(db)).toBe(false); // neither went past the lock
    held.release();
    const [a, b] = (await Promise.all(runs.map((r) => r.done))) as [Exit, Exit];
    for (const r of [a, b]) {
      expect(r.stderr).not.toContain("database is locked");
      expect(r.stderr).not.toContain("internal error");
      expect(r.code, r.stderr).toBe(0);
    }
    expect(a.stderr).toContain(waiting);
    expect(b.stderr).toContain(waiting);
    const summaries = [a, b].map((r) => JSON.parse(r.stdout) as IngestSummary);
    expect(summaries.reduce((n, s) => n + s.embedded, 0)).toBe(trackCount);
    expect(summaries.map((s) => s.tracks.inserted).sort()).toEqual([0, trackCount]);
    expect(existsSync(lockPathFor(db))).toBe(false);
    const info = await cli(["info", "--db", db, "--json"]);
    expect(info.json()).toMatchObject({ tracks: trackCount, embedded: trackCount });
  }, 90_000);

  it("--no-wait fails at once with DB_BUSY while another ingest holds the database", async () => {
    const db = join(dir, "busy.db");
    const held = await acquireWriterLock(db);
    try {
      const r = await cli(["ingest", fx.dataset114k, "--db", db, "--model", "hash", "--no-wait", "--json"]);
      expect(r.code).toBe(1);
      const e = r.json<ErrorJson>().error;
      expect(e.code).toBe("DB_BUSY");
      expect(e.message).toContain(`pid ${process.pid}`);
      expect(e.hint).toContain("--no-wait");
      expect(existsSync(db)).toBe(false);
    } finally {
      held.release();
    }
  });

  it("without --no-wait waits, says so on stderr, and goes on when the lock is free", async () => {
    const db = join(dir, "queued.db");
    expect((await ingestFixtures(fx, db)).code).toBe(0);
    const held = await acquireWriterLock(db);
    setTimeout(() => held.release(), 400);
    const r = await cli(["ingest", ...files, "--db", db, "--model", "hash", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`another ingest is running on this database (pid ${process.pid}); waiting`);
    // The queued ingest finds the work done: nothing embedded twice.
    expect(r.json<IngestSummary>()).toMatchObject({ embedded: 0, tracks: { inserted: 0 } });
  });

  it("takes over the lock of an ingest that was killed", async () => {
    const db = join(dir, "stale.db");
    writeFileSync(
      lockPathFor(db),
      JSON.stringify({ pid: 2 ** 22 + 1, host: (await import("node:os")).hostname() }),
    );
    const r = await ingestFixtures(fx, db);
    expect(r.code).toBe(0);
    expect(existsSync(lockPathFor(db))).toBe(false);
  });
});

describe("read-only commands", () => {
  const dir = tempDir();
  const fx = writeFixtures(dir);
  const db = join(dir, "catalog.db");

  beforeAll(async () => {
    expect((await ingestFixtures(fx, db)).code).toBe(0);
  });

  for (const argv of [
    ["search", "sad", "songs"],
    ["search", "--tempo-min", "100"],
    ["likes", "list"],
    ["likes", "profiles"],
    ["info"],
    ["similar", FIXTURE_IDS.techno],
    ["serve", "--port", "0", "--workers", "0"],
  ]) {
    it(`${argv.join(" ")} refuses a foreign SQLite file with DB_FOREIGN and leaves it as it was`, async () => {
      const foreign = foreignDatabase(tempDir());
      const bytes = sha(foreign);
      const files = readdirSync(join(foreign, ".."));
      const r = await cli([...argv, "--db", foreign, ...(argv[0] === "serve" ? [] : ["--json"])]);
      expect(r.code).toBe(1);
      const text = argv[0] === "serve" ? r.stderr : JSON.stringify(r.json<ErrorJson>().error);
      expect(text).toContain(argv[0] === "serve" ? "not a spotivec database" : "DB_FOREIGN");
      expect(text).toContain("notes");
      expect(sha(foreign)).toBe(bytes);
      expect(journalMode(foreign)).toBe("delete");
      expect(readdirSync(join(foreign, ".."))).toEqual(files);
    });
  }

  it("a missing database is EMPTY_STORE with a hint to ingest, and no file is created", async () => {
    const missing = join(tempDir(), "nowhere", "none.db");
    for (const argv of [
      ["info"],
      ["similar", FIXTURE_IDS.techno],
      ["search", "x"],
      ["likes", "list"],
      ["likes", "profiles"],
    ]) {
      const r = await cli([...argv, "--db", missing, "--json"]);
      expect(r.code).toBe(1);
      expect(r.json<ErrorJson>().error).toMatchObject({
        code: "EMPTY_STORE",
        hint: expect.stringContaining("spotivec ingest"),
      });
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(missing, ".."))).toBe(false);
  });

  it("likes import and remove write into an existing database only: a missing one is EMPTY_STORE, not created", async () => {
    const dir = tempDir();
    const missing = join(dir, "none.db");
    const likes = join(dir, "likes.txt");
    writeFileSync(likes, "Radiohead - Creep\n");
    for (const argv of [
      ["likes", "import", likes],
      ["likes", "remove", "Radiohead - Creep"],
    ]) {
      const r = await cli([...argv, "--db", missing, "--json"]);
      expect(r.code).toBe(1);
      expect(r.json<ErrorJson>().error.code).toBe("EMPTY_STORE");
    }
    expect(existsSync(missing)).toBe(false);
  });

  it("info and similar read a spotivec database without changing it", async () => {
    const bytes = sha(db);
    expect((await cli(["info", "--db", db, "--json"])).code).toBe(0);
    const similar = await cli(["similar", FIXTURE_IDS.techno, "--db", db, "--json"]);
    expect(similar.code).toBe(0);
    expect(sha(db)).toBe(bytes);
  });

  it("search with a minimum above its maximum is a usage error naming both flags and the fix", async () => {
    const r = await cli(["search", "--tempo-min", "140", "--tempo-max", "120", "--db", db, "--json"]);
    expect(r.code).toBe(2);
    const e = r.json<ErrorJson>().error;
    expect(e.code).toBe("USAGE");
    expect(e.message).toContain("--tempo-min");
    expect(e.message).toContain("--tempo-max");
    expect(e.hint).toContain("--tempo-min 120 --tempo-max 140");
    const text = await cli(["search", "techno", "--energy-min", "0.9", "--energy-max", "0.2", "--db", db]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/--energy-min is above --energy-max/);
    // Equal bounds are a valid (narrow) range.
    expect(
      (await cli(["search", "--tempo-min", "132", "--tempo-max", "132", "--db", db, "--json"])).code,
    ).toBe(0);
  });
});
