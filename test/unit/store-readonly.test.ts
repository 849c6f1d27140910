import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { TrackRow } from "../../src/domain/track.js";
import { createHashEmbedder } from "../../src/embed/embedder.js";
import { describePending, embedPending } from "../../src/ingest/pipeline.js";
import { groundWords } from "../../src/search/grounding.js";
import { openStore } from "../../src/store/store.js";
import { TRACK_DEFAULTS, tempDir, thrown } from "../helpers.js";

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function journalMode(path: string): string {
  const db = new Database(path, { readonly: true });
  const mode = db.pragma("journal_mode", { simple: true }) as string;
  db.close();
  return mode;
}

function tables(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const names = (
    db.prepare("SELECT name FROM sqlite_master ORDER BY name").all() as Array<{ name: string }>
  ).map((r) => r.name);
  db.close();
  return names;
}

/** Another application's SQLite file: one table of its own, rollback journal. */
function foreignDatabase(): string {
  const path = join(tempDir(), "other-app.sqlite");
  const db = new Database(path);
  db.exec(
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('keep me')",
  );
  db.close();
  return path;
}

const ROW: TrackRow = {
  id: "0000000000000000000001",
  name: "Song",
  artists: ["Artist"],
  artistIds: [],
  album: "Album",
  genres: ["rock"],
  ...TRACK_DEFAULTS,
};

async function spotivecDatabase(): Promise<string> {
  const path = join(tempDir(), "spotivec.db");
  const store = openStore(path);
  const embedder = createHashEmbedder(64);
  store.useModel({ model: embedder.model, dims: embedder.dims });
  store.upsertTracks([ROW]);
  describePending(store);
  await embedPending(store, embedder, 16);
  store.close();
  return path;
}

describe("read-only store", () => {
  it("refuses a foreign SQLite file with DB_FOREIGN and leaves it byte-identical, in its journal mode", () => {
    const path = foreignDatabase();
    const before = { bytes: sha(path), mode: journalMode(path), files: readdirSync(join(path, "..")) };
    expect(before.mode).toBe("delete");
    const e = thrown(() => openStore(path, { readonly: true }));
    expect(e.code).toBe("DB_FOREIGN");
    expect(e.message).toContain(path);
    expect(e.expected).toContain("spotivec ingest");
    expect(e.got).toContain("notes");
    expect(e.hint).toContain("--db");
    expect(sha(path)).toBe(before.bytes);
    expect(journalMode(path)).toBe("delete");
    expect(tables(path)).toEqual(["notes"]);
    expect(readdirSync(join(path, ".."))).toEqual(before.files);
  });

  it("refuses a foreign SQLite file for writing too, without adding tables or WAL mode", () => {
    const path = foreignDatabase();
    const bytes = sha(path);
    expect(thrown(() => openStore(path)).code).toBe("DB_FOREIGN");
    expect(sha(path)).toBe(bytes);
    expect(journalMode(path)).toBe("delete");
    expect(tables(path)).toEqual(["notes"]);
  });

  it("refuses a file that is not SQLite at all with DB_FOREIGN", () => {
    const path = join(tempDir(), "notes.txt");
    writeFileSync(path, "x".repeat(4096));
    expect(thrown(() => openStore(path, { readonly: true })).code).toBe("DB_FOREIGN");
    expect(readFileSync(path, "utf8")).toBe("x".repeat(4096));
  });

  it("never creates a missing database: EMPTY_STORE with a hint to ingest", () => {
    const dir = tempDir();
    const path = join(dir, "sub", "missing.db");
    const e = thrown(() => openStore(path, { readonly: true }));
    expect(e.code).toBe("EMPTY_STORE");
    expect(e.hint).toContain("spotivec ingest");
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(dir, "sub"))).toBe(false);
  });

  it("refuses an empty file as EMPTY_STORE, leaving it empty", () => {
    const path = join(tempDir(), "empty.db");
    writeFileSync(path, "");
    expect(thrown(() => openStore(path, { readonly: true })).code).toBe("EMPTY_STORE");
    expect(readFileSync(path).length).toBe(0);
  });

  it("refuses a spotivec database that needs migrating, without migrating it", async () => {
    const path = await spotivecDatabase();
    const db = new Database(path);
    db.exec("DELETE FROM migrations WHERE name = 'm003_fill_name_indexes'");
    db.close();
    const bytes = sha(path);
    const e = thrown(() => openStore(path, { readonly: true }));
    expect(e.code).toBe("DB_ERROR");
    expect(e.got).toContain("m003_fill_name_indexes");
    expect(e.hint).toContain("spotivec ingest");
    expect(sha(path)).toBe(bytes);
  });

  it("reads a spotivec database without changing it; writes fail; concept caching is skipped", async () => {
    const path = await spotivecDatabase();
    const bytes = sha(path);
    const store = openStore(path, { readonly: true });
    expect(store.stats()).toMatchObject({ tracks: 1, embedded: 1 });
    expect(store.trackById(ROW.id)?.name).toBe("Song");
    expect(() => store.upsertTracks([{ ...ROW, popularity: 99 }])).toThrow(/readonly/i);
    const embedder = createHashEmbedder(64);
    // Grounding embeds the concept vocabulary and tries to cache it: a read-only store still answers.
    await expect(groundWords(store, embedder, store.genreLabels(), ["rainy"])).resolves.toBeInstanceOf(Array);
    expect(store.conceptVectors(embedder.model).size).toBe(0);
    store.close();
    expect(sha(path)).toBe(bytes);
  });

  it("still lets writers create and migrate a new database", () => {
    const path = join(tempDir(), "deep", "new.db");
    openStore(path).close();
    expect(tables(path)).toContain("tracks");
    expect(journalMode(path)).toBe("wal");
    expect(openStore(path, { readonly: true }).stats().tracks).toBe(0);
  });
});
