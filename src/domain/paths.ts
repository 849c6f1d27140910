import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { isPostgresUrl } from "./db-url.js";

/** Where user data lives when no --db / SPOTIVEC_DB is given: $XDG_DATA_HOME/spotivec (or ~/.local/share). */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPOTIVEC_DB) return env.SPOTIVEC_DB;
  const base = env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(base, "spotivec", "spotivec.db");
}

/** Model files (downloaded by transformers.js, or built locally) are cached here, outside any project. */
export function defaultModelDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPOTIVEC_MODEL_DIR) return env.SPOTIVEC_MODEL_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "spotivec", "models");
}

/** Rejected rows are written next to the database so they are easy to find and fix. */
export function rejectsPathFor(dbPath: string): string {
  return besideDb(dbPath, "rejects.jsonl");
}

/**
 * A report written beside the database: "<db name>.<suffix>" ("spotivec.lyrics-unmatched.jsonl"); for an in-memory
 * or PostgreSQL database (no file to sit beside), in the working directory, named after the database.
 */
export function besideDb(dbPath: string, suffix: string): string {
  if (dbPath === ":memory:") return join(process.cwd(), `spotivec.${suffix}`);
  if (isPostgresUrl(dbPath)) {
    const name = basename(new URL(dbPath).pathname) || "postgres";
    return join(process.cwd(), `${name}.${suffix}`);
  }
  const base = dbPath.replace(/\.(db|sqlite3?)$/i, "");
  return join(dirname(dbPath), `${base.slice(dirname(dbPath).length + 1)}.${suffix}`);
}
