import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { SpotivecError } from "../../domain/errors.js";
import { migrate, pendingMigrations } from "./migrations.js";

/** Bumped only for a change migrations cannot make; a database with another version is refused. */
export const SCHEMA_VERSION = "1";

export interface OpenOptions {
  /**
   * Open an existing spotivec database for reading only: nothing is created, migrated or changed (not even the
   * journal mode). A missing file, a file that is not a spotivec database and one that needs migrating are refused.
   */
  readonly?: boolean;
  /** A writer that must not create the database (likes import/remove): a missing file is refused as for readers. */
  mustExist?: boolean;
}

/**
 * Opens a spotivec database with sqlite-vec loaded. Writers create it (and its directory) when missing and apply its
 * migrations; readers only read. Either refuses a database that is not spotivec's (DB_FOREIGN) without touching it.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  const readonly = options.readonly === true && path !== ":memory:";
  if ((readonly || options.mustExist) && path !== ":memory:" && !existsSync(path)) throw missingError(path);
  if (!readonly && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
    sqliteVec.load(db);
    db.pragma("busy_timeout = 5000");
    const version = readonly ? readableVersion(db, path) : writableVersion(db, path);
    if (version !== undefined && version !== SCHEMA_VERSION) throw versionError(path, version);
    if (readonly) {
      const pending = pendingMigrations(db);
      if (pending.length > 0) throw outdatedError(path, pending);
      return db;
    }
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    migrate(db);
    if (version === undefined) {
      db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
    }
    return db;
  } catch (cause) {
    if (db?.open) db.close();
    if (cause instanceof SpotivecError) throw cause;
    if (readonly && isNotADatabase(cause)) throw foreignError(path, "a file that is not an SQLite database");
    throw new SpotivecError(
      "DB_ERROR",
      `Cannot open the database at ${path}`,
      {
        expected: readonly
          ? "a readable spotivec SQLite database"
          : "a spotivec SQLite database, or a path where one can be created",
        got: cause instanceof Error ? cause.message : String(cause),
        hint: "Choose another file with --db or SPOTIVEC_DB, or check the directory's permissions.",
      },
      { cause },
    );
  }
}

/** What the file holds: nothing yet, a spotivec database (with its schema version), or something else. */
type Contents =
  | { kind: "empty" }
  | { kind: "spotivec"; version: string }
  | { kind: "foreign"; tables: string[] };

function contents(db: Database.Database): Contents {
  const tables = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
      .all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
  if (tables.length === 0) return { kind: "empty" };
  const version = tables.includes("meta") ? storedVersion(db) : undefined;
  if (version !== undefined) return { kind: "spotivec", version };
  // A writer that stopped between the first migration and recording the schema version left a spotivec database.
  if (tables.includes("migrations") && tables.includes("tracks")) {
    const first = db.prepare("SELECT 1 FROM migrations WHERE name = 'm001_initial'").get();
    if (first) return { kind: "spotivec", version: SCHEMA_VERSION };
  }
  return { kind: "foreign", tables };
}

function storedVersion(db: Database.Database): string | undefined {
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
      | { value: unknown }
      | undefined;
    return typeof row?.value === "string" ? row.value : undefined;
  } catch {
    return undefined; // a meta table of another shape: not spotivec's
  }
}

/** Writers: a new (empty) file becomes a spotivec database; a file of other tables is refused untouched. */
function writableVersion(db: Database.Database, path: string): string | undefined {
  const c = contents(db);
  if (c.kind === "foreign") throw foreignError(path, tableList(c.tables));
  return c.kind === "spotivec" ? c.version : undefined;
}

/** Readers: only a spotivec database; an empty file has nothing to read. */
function readableVersion(db: Database.Database, path: string): string {
  const c = contents(db);
  if (c.kind === "foreign") throw foreignError(path, tableList(c.tables));
  if (c.kind === "empty") throw emptyError(path, "an empty file");
  return c.version;
}

function tableList(tables: string[]): string {
  const shown = tables.slice(0, 5).join(", ");
  const more = tables.length > 5 ? ` and ${tables.length - 5} more` : "";
  return `an SQLite database of other tables (${shown}${more})`;
}

function isNotADatabase(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
}

function foreignError(path: string, got: string): SpotivecError {
  return new SpotivecError(
    "DB_FOREIGN",
    `The file at ${path} is not a spotivec database; it was left as it was`,
    {
      expected:
        "a database made by `spotivec ingest` (tables meta, tracks, track_vectors, ...), or a new path",
      got,
      hint: "Point --db (or SPOTIVEC_DB) at a spotivec database, or at a new path for `spotivec ingest` to create.",
    },
  );
}

function emptyError(path: string, got: string): SpotivecError {
  return new SpotivecError("EMPTY_STORE", `There is no spotivec database at ${path}`, {
    expected: "a database filled by `spotivec ingest`",
    got,
    hint: `Run \`spotivec ingest <dataset.csv> --db ${path}\` first, or point --db / SPOTIVEC_DB at your database.`,
  });
}

function missingError(path: string): SpotivecError {
  return emptyError(path, "no such file (only ingest creates a database)");
}

function outdatedError(path: string, pending: string[]): SpotivecError {
  return new SpotivecError("DB_ERROR", `The database at ${path} was made by an older spotivec`, {
    expected: "a database with every migration applied",
    got: `migrations not yet applied: ${pending.join(", ")}`,
    hint: `Run \`spotivec ingest <your dataset files> --db ${path}\` once: it upgrades the database in place (nothing is embedded again). Read-only commands never change a database.`,
  });
}

function versionError(path: string, version: string): SpotivecError {
  return new SpotivecError("DB_ERROR", `The database at ${path} has schema version ${version}`, {
    expected: `schema version ${SCHEMA_VERSION}`,
    got: `schema version ${version}`,
    hint: "Ingest into a new database file with --db.",
  });
}
