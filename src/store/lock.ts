/**
 * The writer lock: one ingest at a time per database. A lock file beside the database (`<db>.lock`) holds the
 * holder's pid, host and a token; it is created atomically (exclusive create), removed on release, and taken over
 * when its holder is a process of this host that no longer runs (a killed ingest leaves it behind). A PostgreSQL
 * database has an advisory lock instead (./postgres/lock.ts).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { isPostgresUrl } from "../domain/db-url.js";
import { SpotivecError } from "../domain/errors.js";
import { acquirePgWriterLock } from "./postgres/lock.js";

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  since: string;
  token: string;
}

export interface WriterLock {
  readonly path: string;
  /** Removes the lock file if it is still this holder's; safe to call more than once. */
  release(): void;
}

export interface LockOptions {
  /** false: fail at once with DB_BUSY when another process holds the lock. Default true: wait for it. */
  wait?: boolean;
  /** Told once, when the lock is held by another and this call starts waiting. */
  onWait?: (holder: LockHolder | null) => void;
  /** How often a waiting call looks again, in ms (default 200). */
  pollMs?: number;
}

/** A lock file this old whose content cannot be read was left by a holder that died while writing it. */
const UNREADABLE_STALE_MS = 10_000;

/** Tokens of the locks this process holds: a lock with this pid but another token was left by an earlier process. */
const held = new Set<string>();

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

/** Takes the writer lock of the database at dbPath, waiting for another holder unless `wait` is false. */
export async function acquireWriterLock(dbPath: string, options: LockOptions = {}): Promise<WriterLock> {
  if (isPostgresUrl(dbPath)) return acquirePgWriterLock(dbPath, options);
  const path = lockPathFor(dbPath);
  mkdirSync(dirname(path), { recursive: true });
  let told = false;
  for (;;) {
    const lock = tryAcquire(path);
    if ("release" in lock) return lock;
    if (options.wait === false) throw busyError(dbPath, path, lock.holder);
    if (!told) {
      told = true;
      options.onWait?.(lock.holder);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

/** One attempt: the lock, or who holds it (null when its file cannot be read yet). */
function tryAcquire(path: string): WriterLock | { holder: LockHolder | null } {
  for (let attempt = 0; attempt < 3; attempt++) {
    const me: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
      token: randomUUID(),
    };
    try {
      writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: "wx" });
      held.add(me.token);
      return ownLock(path, me.token);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw lockFileError(path, e);
    }
    const raw = readLock(path);
    if (raw === null) continue; // released meanwhile: try again
    const holder = parseHolder(raw);
    if (!isStale(path, holder)) return { holder };
    // Remove the stale file only if it is still the one judged stale, then try again.
    if (readLock(path) === raw) removeQuietly(path);
  }
  return { holder: parseHolder(readLock(path) ?? "") };
}

function ownLock(path: string, token: string): WriterLock {
  const release = () => {
    if (!held.delete(token)) return;
    process.off("exit", release);
    const raw = readLock(path);
    if (raw !== null && parseHolder(raw)?.token === token) removeQuietly(path);
  };
  // A process that exits without releasing (process.exit, an uncaught error) still removes its lock.
  process.once("exit", release);
  return { path, release };
}

function isStale(path: string, holder: LockHolder | null): boolean {
  if (holder === null) return ageMs(path) > UNREADABLE_STALE_MS;
  if (holder.host !== hostname()) return false; // cannot tell whether a process elsewhere runs: wait for it
  if (holder.pid === process.pid) return !held.has(holder.token);
  return !isRunning(holder.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const v = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof v.pid !== "number" || !Number.isInteger(v.pid) || v.pid <= 0) return null;
    return {
      pid: v.pid,
      host: typeof v.host === "string" ? v.host : "",
      since: typeof v.since === "string" ? v.since : "",
      token: typeof v.token === "string" ? v.token : "",
    };
  } catch {
    return null;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function busyError(dbPath: string, path: string, holder: LockHolder | null): SpotivecError {
  const who = holder
    ? `pid ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`}`
    : "pid unknown";
  return new SpotivecError("DB_BUSY", `Another ingest is running on the database at ${dbPath} (${who})`, {
    expected: "no other ingest writing to this database",
    got: `${path} held by ${who}${holder?.since ? ` since ${holder.since}` : ""}`,
    hint: `Wait for it to finish, or leave out --no-wait to queue behind it. If no ingest is running, delete ${path}.`,
  });
}

function lockFileError(path: string, cause: unknown): SpotivecError {
  return new SpotivecError(
    "DB_ERROR",
    `Cannot create the lock file ${path}`,
    {
      expected: "a directory where spotivec can create files beside the database",
      got: cause instanceof Error ? cause.message : String(cause),
      hint: "Check the directory's permissions, or choose another --db.",
    },
    { cause },
  );
}
