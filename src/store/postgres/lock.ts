/**
 * The writer lock on PostgreSQL: one ingest at a time per database, as the lock file does for SQLite. A session
 * advisory lock on a connection of its own, held until release (or until the process dies: the server ends the
 * session and frees the lock, so a killed ingest leaves nothing to clean up).
 */
import { redactSecrets } from "../../domain/db-url.js";
import { SpotivecError } from "../../domain/errors.js";
import type { LockHolder, LockOptions, WriterLock } from "../lock.js";
import { PG_SCHEMA } from "./schema.js";
import { SyncPgClient } from "./sync-client.js";

/** An arbitrary, fixed key: spotivec's writer lock in any database. */
const WRITER_LOCK = 7_317_002;

export async function acquirePgWriterLock(url: string, options: LockOptions = {}): Promise<WriterLock> {
  const pg = new SyncPgClient(url, PG_SCHEMA);
  let told = false;
  try {
    for (;;) {
      const [row] = pg.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [WRITER_LOCK]);
      if (row?.ok) break;
      const holder = lockHolder(pg);
      if (options.wait === false) throw busyError(url, holder);
      if (!told) {
        told = true;
        options.onWait?.(holder);
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  } catch (e) {
    pg.close();
    throw e;
  }
  return {
    path: redactSecrets(url),
    release: () => pg.close(),
  };
}

/** The backend holding the lock, as far as this role may see it. */
function lockHolder(pg: SyncPgClient): LockHolder | null {
  const [row] = pg.query<{ pid: number; host: string | null; since: string | null }>(
    `SELECT a.pid, coalesce(host(a.client_addr), 'local') AS host, a.backend_start::text AS since
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [WRITER_LOCK],
  );
  return row ? { pid: row.pid, host: row.host ?? "local", since: row.since ?? "", token: "" } : null;
}

function busyError(url: string, holder: LockHolder | null): SpotivecError {
  const who = holder ? `server backend pid ${holder.pid}, client ${holder.host}` : "another session";
  return new SpotivecError(
    "DB_BUSY",
    `Another ingest is running on the database at ${redactSecrets(url)} (${who})`,
    {
      expected: "no other ingest writing to this database",
      got: `spotivec's writer lock (advisory lock ${WRITER_LOCK}) held by ${who}`,
      hint: "Wait for it to finish, or leave out --no-wait to queue behind it. The lock ends with its session.",
    },
  );
}
