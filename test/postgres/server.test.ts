import type pg from "pg";
import { registerTypes, toSql } from "pgvector/pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeWithPostgres, type TestDatabase, withClient } from "../postgres.js";

// What the PostgreSQL store relies on: pgvector >= 0.8, an HNSW index over cosine distance, and iterative index scans
// (0.8's `hnsw.iterative_scan`) so that a filtered KNN query still fills its LIMIT.

const DIM = 8;
const ROWS = 1000;
/** One row in 20 is in the filtered subset: far fewer than ef_search candidates pass the filter. */
const EVERY = 20;

/** Deterministic pseudo-random vectors (a linear congruential generator), the same on every run. */
function vectors(count: number, seed: number): number[][] {
  let state = seed;
  const next = () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => Array.from({ length: DIM }, next));
}

function cosineDistance(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return 1 - dot / Math.sqrt(na * nb);
}

describeWithPostgres("the PostgreSQL test server (pgvector)", (serverUrl) => {
  let db: TestDatabase;
  const rows = vectors(ROWS, 7);
  const [query] = vectors(1, 99) as [number[]];

  beforeAll(async () => {
    db = await createTestDatabase(serverUrl);
    await withClient(db.url, async (c) => {
      await c.query(
        `CREATE TABLE items (id int PRIMARY KEY, grp int NOT NULL, embedding vector(${DIM}) NOT NULL)`,
      );
      await c.query(
        "INSERT INTO items SELECT i, i % $1, e::vector FROM unnest($2::int[], $3::text[]) AS t(i, e)",
        [EVERY, rows.map((_, i) => i), rows.map((v) => toSql(v))],
      );
      await c.query("CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_cosine_ops)");
      await c.query("ANALYZE items");
    });
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** The filtered KNN query, in one transaction with the given index settings (SET LOCAL ends with it). */
  async function filteredKnn(c: pg.Client, iterative: "off" | "relaxed_order"): Promise<number[]> {
    await c.query("BEGIN");
    try {
      await c.query("SET LOCAL enable_seqscan = off");
      await c.query("SET LOCAL hnsw.ef_search = 20");
      await c.query(`SET LOCAL hnsw.iterative_scan = ${iterative}`);
      const plan = await c.query(
        "EXPLAIN SELECT id FROM items WHERE grp = 0 ORDER BY embedding <=> $1 LIMIT 10",
        [toSql(query)],
      );
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("items_hnsw");
      const r = await c.query<{ id: number }>(
        "SELECT id FROM items WHERE grp = 0 ORDER BY embedding <=> $1 LIMIT 10",
        [toSql(query)],
      );
      return r.rows.map((row) => row.id);
    } finally {
      await c.query("COMMIT");
    }
  }

  it("has the vector extension at 0.8 or later", async () => {
    const version = await withClient(db.url, async (c) => {
      const r = await c.query<{ extversion: string }>(
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'",
      );
      return r.rows[0]?.extversion;
    });
    expect(version, "CREATE EXTENSION vector gave no row in pg_extension").toBeDefined();
    const [major = 0, minor = 0] = (version as string).split(".").map(Number);
    expect(major * 1000 + minor, `pgvector ${version}`).toBeGreaterThanOrEqual(8);
  });

  it("reads vectors back as numbers through the pgvector client types", async () => {
    const embedding = await withClient(db.url, async (c) => {
      await registerTypes(c);
      const r = await c.query<{ embedding: number[] }>("SELECT embedding FROM items WHERE id = 3");
      return r.rows[0]?.embedding;
    });
    expect(embedding).toHaveLength(DIM);
    (embedding as number[]).forEach((x, i) => {
      expect(x).toBeCloseTo(rows[3]?.[i] as number, 5);
    });
  });

  it("fills a filtered KNN query through the HNSW index with hnsw.iterative_scan = relaxed_order", async () => {
    const exact = rows
      .map((v, id) => ({ id, d: cosineDistance(v, query) }))
      .filter((r) => r.id % EVERY === 0)
      .sort((a, b) => a.d - b.d)
      .slice(0, 10)
      .map((r) => r.id);
    const { off, relaxed, after } = await withClient(db.url, async (c) => ({
      off: await filteredKnn(c, "off"),
      relaxed: await filteredKnn(c, "relaxed_order"),
      after: (await c.query<{ value: string }>("SELECT current_setting('hnsw.iterative_scan') AS value"))
        .rows[0],
    }));
    // Without iterative scans the index hands over ef_search candidates and the filter keeps about one in 20.
    expect(off.length).toBeLessThan(10);
    expect(relaxed).toHaveLength(10);
    for (const id of relaxed) expect(id % EVERY).toBe(0);
    // An approximate index: near agreement with the exact scan, not identity.
    expect(relaxed.filter((id) => exact.includes(id)).length).toBeGreaterThanOrEqual(8);
    // SET LOCAL lasted only for its transaction.
    expect(after?.value).toBe("off");
  });
});
