/**
 * The PostgreSQL store (`--db postgres://...`): the same Store as the SQLite one, for catalogs and traffic that
 * outgrow one file on one machine. Its tables live in the `spotivec` schema, so a database shared with other
 * applications keeps theirs apart. Lyrics and LLM tags stay SQLite-only for now (see composeStore).
 */
import { redactSecrets } from "../../domain/db-url.js";
import { SpotivecError } from "../../domain/errors.js";
import { composeStore } from "../compose.js";
import type { OpenOptions } from "../sqlite/open.js";
import type { Store } from "../types.js";
import { PgCatalogReader } from "./catalog-reader.js";
import { PgCatalogWriter } from "./catalog-writer.js";
import { PgIngestQueue } from "./ingest-queue.js";
import { PgMeta } from "./meta.js";
import { checkPgvector, migratePg, PG_SCHEMA, pendingPgMigrations } from "./schema.js";
import { PgConcepts, PgLikes, PgPlaylists } from "./small-parts.js";
import { PgError, SyncPgClient } from "./sync-client.js";
import { PgVectorIndex } from "./vectors.js";

/** Connects, checks the server and the schema (writers migrate it; readers refuse a missing or outdated one). */
function connect(url: string, options: OpenOptions): SyncPgClient {
  const where = redactSecrets(url);
  const pg = new SyncPgClient(url, PG_SCHEMA, options.readonly === true);
  try {
    pg.query("SELECT 1");
    const pending = pendingPgMigrations(pg);
    if (options.readonly || options.mustExist) {
      if (pending.includes("m001_initial")) throw emptyError(where);
      if (pending.length > 0) throw outdatedError(where, pending);
    }
    if (pending.length > 0) {
      checkPgvector(pg, where);
      migratePg(pg);
    }
    return pg;
  } catch (cause) {
    pg.close();
    if (cause instanceof SpotivecError) throw cause;
    throw new SpotivecError(
      "DB_ERROR",
      `Cannot use the PostgreSQL database at ${where}`,
      {
        expected:
          "a reachable PostgreSQL server (13 or later) with pgvector >= 0.8, and a user that may create tables",
        got: cause instanceof PgError || cause instanceof Error ? cause.message : String(cause),
        hint: "Check that the server runs and accepts this URL (--db or SPOTIVEC_DB), e.g. with `psql URL -c 'select 1'`.",
      },
      { cause },
    );
  }
}

function emptyError(where: string): SpotivecError {
  return new SpotivecError(
    "EMPTY_STORE",
    `There is no spotivec catalog in the PostgreSQL database at ${where}`,
    {
      expected: `a catalog filled by \`spotivec ingest\` (schema ${PG_SCHEMA})`,
      got: `no ${PG_SCHEMA} schema tables`,
      hint: "Run `spotivec ingest <dataset.csv> --db URL` first.",
    },
  );
}

function outdatedError(where: string, pending: string[]): SpotivecError {
  return new SpotivecError("DB_ERROR", `The PostgreSQL catalog at ${where} was made by an older spotivec`, {
    expected: "a catalog with every migration applied",
    got: `migrations not yet applied: ${pending.join(", ")}`,
    hint: "Run `spotivec ingest <your dataset files> --db URL` once: it upgrades the catalog in place.",
  });
}

/** Opens the PostgreSQL database at url as one Store; `useIndex: false` answers every KNN by an exact scan. */
export function openPostgresStore(url: string, options: OpenOptions & { useIndex?: boolean } = {}): Store {
  const pg = connect(url, options);
  const where = redactSecrets(url);
  const meta = new PgMeta(pg);
  const vectors = new PgVectorIndex(pg, meta, where, options.useIndex ?? true);
  const queue = new PgIngestQueue(pg);
  return composeStore(
    {
      queue,
      vectors,
      likes: new PgLikes(pg),
      playlists: new PgPlaylists(pg),
      writer: new PgCatalogWriter(pg),
      concepts: new PgConcepts(pg),
      reader: new PgCatalogReader(pg, meta),
    },
    {
      path: url,
      vectorPage: (after, limit) => vectors.vectorPage(after, limit),
      close: () => pg.close(),
    },
  );
}
