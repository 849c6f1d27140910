import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { FIELDS } from "../../src/domain/fields.js";
import { type ExportSummary, MAX_METADATA_INDEXES, VECTORIZE_INDEXED } from "../../src/store/export/index.js";
import { cli, tempDir, writeFixtures } from "../helpers.js";

type Summary = ExportSummary;

const lines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "");

// The export end to end on the fixture catalog, with the lexical test embedder (hash, 384 dimensions).
describe("spotivec export", () => {
  const dir = tempDir();
  const db = join(dir, "export.db");
  const fx = writeFixtures(dir);
  let info: { tracks: number; embedded: number; model: { model: string; dims: number } };

  beforeAll(async () => {
    const r = await cli(["ingest", fx.dataset114k, "--db", db, "--model", "hash", "--json"]);
    expect(r.code).toBe(0);
    const i = await cli(["info", "--db", db, "--json"]);
    info = i.json();
    expect(info.embedded).toBeGreaterThan(3);
  });

  it("writes a Vectorize export that validates: line shape, dims, ids, files of at most --per-file", async () => {
    const out = join(dir, "vectorize");
    const r = await cli(["export", out, "--format", "vectorize", "--per-file", "3", "--db", db, "--json"]);
    expect(r.code).toBe(0);
    const s = r.json<Summary>();
    expect(s).toMatchObject({ format: "vectorize", vectors: info.embedded, dims: info.model.dims });
    expect(s.model).toBe(info.model.model);
    expect(s.files.length).toBe(Math.ceil(info.embedded / 3));
    expect(s.files[0]).toBe("vectors-0001.ndjson");
    const ids = new Set<string>();
    for (const file of s.files) {
      const rows = lines(join(out, file));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(3);
      for (const text of rows) {
        const row = JSON.parse(text) as { id: string; values: number[]; metadata: Record<string, unknown> };
        expect(Object.keys(row).sort()).toEqual(["id", "metadata", "values"]);
        expect(row.id).toMatch(/^[0-9A-Za-z]{22}$/);
        expect(ids.has(row.id)).toBe(false);
        ids.add(row.id);
        expect(row.values).toHaveLength(s.dims);
        expect(row.values.every((v) => typeof v === "number" && Number.isFinite(v))).toBe(true);
        for (const p of VECTORIZE_INDEXED) {
          if (p.name === "year" && !("year" in row.metadata)) continue;
          expect(typeof row.metadata[p.name]).toBe(p.type);
        }
        for (const key of Object.keys(row.metadata)) expect(key).toMatch(/^[^.$"][^."]*$/);
        expect(Buffer.byteLength(JSON.stringify(row.metadata))).toBeLessThan(10 * 1024);
      }
    }
    expect(ids.size).toBe(info.embedded);
    // Every id is a catalog track, with its stored vector.
    const probe = [...ids][0] as string;
    const shown = await cli(["similar", probe, "--db", db, "--json", "--limit", "1"]);
    expect(shown.code).toBe(0);

    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(s.commands?.[0]).toBe(
      `npx wrangler vectorize create spotivec --dimensions=${s.dims} --metric=cosine`,
    );
    const metaCommands = (s.commands ?? []).filter((c) => c.includes("create-metadata-index"));
    expect(metaCommands.length).toBe(VECTORIZE_INDEXED.length);
    expect(metaCommands.length).toBeLessThanOrEqual(MAX_METADATA_INDEXES);
    for (const c of s.commands ?? []) expect(readme).toContain(c);
    for (const f of s.files) expect(readme).toContain(`npx wrangler vectorize insert spotivec --file=${f}`);
    expect(readme).toContain(info.model.model);
  });

  it("indexes at most 10 metadata properties, all from the field table or genre", () => {
    expect(VECTORIZE_INDEXED.length).toBeLessThanOrEqual(MAX_METADATA_INDEXES);
    const known = new Set<string>([...FIELDS.map((f) => f.name), "genre"]);
    for (const p of VECTORIZE_INDEXED) expect(known.has(p.name)).toBe(true);
  });

  it("prints the commands without --json and replaces files left by a larger export", async () => {
    const out = join(dir, "vectorize");
    writeFileSync(join(out, "vectors-0999.ndjson"), "stale\n");
    writeFileSync(join(out, "keep.txt"), "not ours\n");
    const r = await cli(["export", out, "--name", "tracks", "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("npx wrangler vectorize create tracks --dimensions=");
    expect(r.stdout).toContain("--property-name=genre --type=string");
    expect(r.stderr).toContain("wrote vectors-0001.ndjson");
    const names = readdirSync(out).sort();
    expect(names).toEqual(["README.md", "keep.txt", "vectors-0001.ndjson"]);
    expect(names.some((n) => n.endsWith(".tmp"))).toBe(false);
  });

  it("writes JSON lines with id, vector and metadata and a README table of engines", async () => {
    const out = join(dir, "jsonl");
    const r = await cli(["export", out, "--format", "jsonl", "--db", db, "--json"]);
    expect(r.code).toBe(0);
    const s = r.json<Summary>();
    expect(s.files).toEqual(["tracks-0001.jsonl"]);
    expect(s.commands).toBeUndefined();
    const rows = lines(join(out, "tracks-0001.jsonl")).map(
      (l) => JSON.parse(l) as { id: string; vector: number[]; metadata: { genres: string[] } },
    );
    expect(rows).toHaveLength(info.embedded);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["id", "metadata", "vector"]);
      expect(row.vector).toHaveLength(s.dims);
      expect(Array.isArray(row.metadata.genres)).toBe(true);
    }
    const readme = readFileSync(join(out, "README.md"), "utf8");
    for (const engine of ["Pinecone", "Qdrant", "LanceDB", "Chroma"])
      expect(readme).toContain(`| ${engine} |`);
  });

  it("writes Parquet that an independent reader reads back: Pinecone's id, values, metadata and plain columns", async () => {
    const out = join(dir, "parquet");
    const r = await cli(["export", out, "--format", "parquet", "--per-file", "4", "--db", db, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<Summary>();
    expect(s.files.length).toBe(Math.ceil(info.embedded / 4));
    const jsonl = lines(join(dir, "jsonl", "tracks-0001.jsonl")).map(
      (l) => JSON.parse(l) as { id: string; vector: number[]; metadata: Record<string, unknown> },
    );
    const rows: Array<Record<string, unknown>> = [];
    for (const f of s.files) {
      rows.push(...(await parquetReadObjects({ file: await asyncBufferFromFile(join(out, f)) })));
    }
    expect(rows.map((row) => row.id)).toEqual(jsonl.map((row) => row.id));
    for (const [i, row] of rows.entries()) {
      const want = jsonl[i] as (typeof jsonl)[number];
      // float32 in both: the JSON lines carry the same stored values.
      expect(row.values).toEqual(want.vector.map((v) => Math.fround(v)));
      expect(JSON.parse(row.metadata as string)).toEqual(want.metadata);
      for (const f of FIELDS) {
        const plain = row[f.name];
        if (f.name === "year" && plain === null) expect(want.metadata.year).toBeUndefined();
        else expect(plain, f.name).toBe(want.metadata[f.name]);
      }
      expect(row.genres).toEqual(want.metadata.genres);
    }
    const readme = readFileSync(join(out, "README.md"), "utf8");
    for (const engine of ["Pinecone", "LanceDB", "DuckDB"]) expect(readme).toContain(`| ${engine} |`);
  });

  it("refuses an unknown format and a Vectorize file over 5,000 vectors (exit 2)", async () => {
    const bad = await cli(["export", join(dir, "x"), "--format", "csv", "--db", db, "--json"]);
    expect(bad.code).toBe(2);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe("USAGE");
    const big = await cli(["export", join(dir, "x"), "--per-file", "5001", "--db", db, "--json"]);
    expect(big.code).toBe(2);
    expect(existsSync(join(dir, "x"))).toBe(false);
  });

  it("refuses a missing database without creating it", async () => {
    const missing = join(dir, "missing.db");
    const r = await cli(["export", join(dir, "y"), "--db", missing, "--json"]);
    expect(r.code).toBe(1);
    expect(r.json<{ error: { code: string } }>().error.code).toBe("EMPTY_STORE");
    expect(existsSync(missing)).toBe(false);
  });
});
