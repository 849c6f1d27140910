import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { SpotivecError } from "../../domain/errors.js";
import { migrate } from "./migrations.js";

/** Bumped only for a change migrations cannot make; a database with another version is refused. */
export const SCHEMA_VERSION = "1";

/** Opens (or creates) a spotivec database with sqlite-vec loaded and its migrations applied. */
export function openDatabase(path: string): Database.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    sqliteVec.load(db);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    const version = schemaVersion(db);
    if (version !== undefined && version !== SCHEMA_VERSION) throw versionError(path, version);
    migrate(db);
    if (version === undefined) {
      db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
    }
    return db;
  } catch (cause) {
    if (db?.open) db.close();
    if (cause instanceof SpotivecError) throw cause;
    throw new SpotivecError(
      "DB_ERROR",
      `Cannot open the database at ${path}`,
      {
        expected: "a spotivec SQLite database, or a path where one can be created",
        got: cause instanceof Error ? cause.message : String(cause),
        hint: "Choose another file with --db or SPOTIVEC_DB, or check the directory's permissions.",
      },
      { cause },
    );
  }
}

function schemaVersion(db: Database.Database): string | undefined {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) return undefined;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
    | { value: string }
    | undefined;
  return row?.value;
}

function versionError(path: string, version: string): SpotivecError {
  return new SpotivecError("DB_ERROR", `The database at ${path} has schema version ${version}`, {
    expected: `schema version ${SCHEMA_VERSION}`,
    got: `schema version ${version}`,
    hint: "Ingest into a new database file with --db.",
  });
}
