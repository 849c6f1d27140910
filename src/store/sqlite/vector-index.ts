import type Database from "better-sqlite3";
import { hasSameModel, mismatchError } from "../errors.js";
import type { EmbeddedTrack, ModelInfo, TrackFilters, VectorIndex } from "../types.js";
import { filterSql } from "./filters.js";
import type { Meta } from "./meta.js";
import { blobFromVector, StatementCache, vectorFromBlob } from "./statements.js";
import {
  fromDb,
  TRACK_COLUMNS,
  type TrackDbRow,
  VECTOR_COLUMNS_SQL,
  VECTOR_FIELDS,
  vectorMetadata,
} from "./track-rows.js";

/** sqlite-vec's largest k. */
const MAX_K = 4096;

const METADATA_COLUMNS = VECTOR_FIELDS.map((f) => f.name);
const SET_METADATA = METADATA_COLUMNS.map((c) => `${c} = ?`).join(", ");

/** The statements on track_vectors; made only while the table exists. */
class VectorTable {
  readonly insert: Database.Statement<unknown[]>;
  readonly update: Database.Statement<unknown[]>;
  readonly updateMetadata: Database.Statement<unknown[]>;
  readonly queries: StatementCache;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO track_vectors(embedding, ${METADATA_COLUMNS.join(", ")}, track_rowid)
       VALUES (?, ${METADATA_COLUMNS.map(() => "?").join(", ")}, ?)`,
    );
    this.update = db.prepare(`UPDATE track_vectors SET embedding = ?, ${SET_METADATA} WHERE track_rowid = ?`);
    this.updateMetadata = db.prepare(`UPDATE track_vectors SET ${SET_METADATA} WHERE track_rowid = ?`);
    this.queries = new StatementCache(db);
  }
}

type EmbeddedRow = TrackDbRow & { embedded_hash: string | null };

/** Vectors in a vec0 table whose metadata columns are the filter fields, so filters run inside the KNN. */
export class SqliteVectorIndex implements VectorIndex {
  private table: VectorTable | null = null;
  private readonly hasTable: Database.Statement<[], unknown>;
  private readonly selectTrack: Database.Statement<[bigint], EmbeddedRow>;
  private readonly markEmbedded: Database.Statement<[string, bigint]>;
  private readonly saveFullVector: Database.Statement<[bigint, Buffer]>;
  private readonly selectFullVector: Database.Statement<[bigint], { vector: Buffer }>;
  private readonly nearestAmongRows: Database.Statement<
    [Float32Array, string, number],
    { rowid: number; distance: number }
  >;
  private readonly bumpGeneration: Database.Statement<[]>;
  private readonly anyVector: Database.Statement<[], unknown>;
  private readonly addToCount: Database.Statement<[{ n: number }]>;
  private readonly saveTx: (items: readonly EmbeddedTrack[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly meta: Meta,
    private readonly path: string,
  ) {
    this.hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'track_vectors'");
    this.selectTrack = db.prepare(`SELECT ${TRACK_COLUMNS}, embedded_hash FROM tracks WHERE rowid = ?`);
    this.markEmbedded = db.prepare("UPDATE tracks SET embedded_hash = ? WHERE rowid = ?");
    this.saveFullVector = db.prepare("INSERT OR REPLACE INTO track_embeddings(rowid, vector) VALUES (?, ?)");
    this.selectFullVector = db.prepare("SELECT vector FROM track_embeddings WHERE rowid = ?");
    // Scored in SQL (sqlite-vec's cosine, as the vec0 KNN computes it): twice as fast as reading the blobs into JS.
    this.nearestAmongRows = db.prepare(
      `SELECT rowid, vec_distance_cosine(vector, ?) AS distance FROM track_embeddings
       WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY distance, rowid LIMIT ?`,
    );
    this.anyVector = db.prepare("SELECT 1 FROM track_embeddings LIMIT 1");
    this.bumpGeneration = db.prepare(`INSERT INTO meta(key, value) VALUES ('vector_generation', '1')
      ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`);
    this.addToCount = db.prepare(`INSERT INTO meta(key, value) VALUES ('vector_count', @n)
      ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + @n`);
    this.saveTx = db.transaction((items: readonly EmbeddedTrack[]) => this.writeEmbeddings(items));
  }

  modelInfo(): ModelInfo | null {
    return this.meta.modelInfo();
  }

  useModel(info: ModelInfo): void {
    if (hasSameModel(this.path, this.modelInfo(), info)) return;
    this.db.transaction(() => {
      this.meta.setModel(info);
      this.createTable(info.dims);
    })();
  }

  resetVectors(info: ModelInfo): void {
    this.table = null;
    this.db.transaction(() => {
      this.db.exec("DROP TABLE IF EXISTS track_vectors");
      this.db.exec("UPDATE tracks SET embedded_hash = NULL");
      this.db.exec("DELETE FROM track_embeddings");
      this.meta.set("vector_count", "0");
      this.bumpGeneration.run();
      this.meta.setModel(info);
      this.createTable(info.dims);
    })();
  }

  saveEmbeddings(items: readonly EmbeddedTrack[]): void {
    this.saveTx(items);
  }

  knn(vector: Float32Array, k: number, filters: TrackFilters): Array<{ rowid: number; distance: number }> {
    const current = this.modelInfo();
    const table = current ? this.current() : null;
    if (!current || !table) return [];
    if (vector.length !== current.dims) {
      throw mismatchError(this.path, current, { model: "the query embedder", dims: vector.length });
    }
    const f = filterSql(filters, "track_rowid");
    const where = ["embedding MATCH ?", "k = ?", ...f.conditions].join(" AND ");
    return table.queries
      .get<{ track_rowid: number; distance: number }>(
        `SELECT track_rowid, distance FROM track_vectors WHERE ${where} ORDER BY distance`,
      )
      .all(vector, BigInt(Math.min(k, MAX_K)), ...f.params)
      .map((r) => ({ rowid: r.track_rowid, distance: r.distance }));
  }

  vectorsOf(rowids: readonly number[]): Map<number, Float32Array> {
    // A point lookup each: microseconds in SQLite, no need to batch.
    const out = new Map<number, Float32Array>();
    for (const rowid of rowids) {
      const row = this.selectFullVector.get(BigInt(rowid));
      if (row) out.set(rowid, vectorFromBlob(row.vector));
    }
    return out;
  }

  hasVectors(): boolean {
    return this.anyVector.get() !== undefined;
  }

  /** The k of these tracks nearest the vector by their stored float32 vectors (cosine distance), nearest first. */
  nearestAmong(
    rowids: readonly number[],
    vector: Float32Array,
    k: number,
  ): Array<{ rowid: number; distance: number }> {
    return this.nearestAmongRows.all(vector, JSON.stringify(rowids), k);
  }

  /** Bumped by every write of vectors: an ANN index built from another generation is stale. */
  generation(): number {
    return Number(this.meta.get("vector_generation") ?? 0);
  }

  /** How many tracks have a vector, kept in meta by every write (counting the rows reads all of them). */
  vectorCount(): number {
    return Number(this.meta.get("vector_count") ?? 0);
  }

  /** Features may change without the description changing: keeps the filter columns of embedded tracks current. */
  refreshMetadata(rowids: readonly bigint[]): void {
    const table = this.current();
    if (!table) return;
    for (const rowid of rowids) {
      const row = this.selectTrack.get(rowid);
      if (row && row.embedded_hash !== null) table.updateMetadata.run(...vectorMetadata(fromDb(row)), rowid);
    }
  }

  private writeEmbeddings(items: readonly EmbeddedTrack[]): void {
    const table = this.current();
    if (!table) throw new Error("saveEmbeddings before useModel");
    let added = 0;
    for (const item of items) {
      const rowid = BigInt(item.rowid);
      const row = this.selectTrack.get(rowid);
      if (!row) continue;
      const metadata = vectorMetadata(fromDb(row));
      if (row.embedded_hash === null) {
        table.insert.run(item.vector, ...metadata, rowid);
        added++;
      } else table.update.run(item.vector, ...metadata, rowid);
      this.saveFullVector.run(rowid, blobFromVector(item.vector));
      this.markEmbedded.run(item.hash, rowid);
    }
    if (added > 0) this.addToCount.run({ n: added });
    if (items.length > 0) this.bumpGeneration.run();
  }

  /** The table's statements, or null without a table (another connection may create or drop it). */
  private current(): VectorTable | null {
    if (this.hasTable.get() === undefined) {
      this.table = null;
      return null;
    }
    this.table ??= new VectorTable(this.db);
    return this.table;
  }

  private createTable(dims: number): void {
    this.db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS track_vectors USING vec0(track_rowid integer primary key, embedding float[${dims}] distance_metric=cosine, ${VECTOR_COLUMNS_SQL})`,
    );
  }
}
