/**
 * Embedded tracks with their vectors, a page at a time in rowid order, for exports: a caller pages through the
 * whole catalog with constant memory (the next page starts after the last rowid seen).
 */
import type Database from "better-sqlite3";
import type { StoredTrack } from "../types.js";
import { vectorFromBlob } from "./statements.js";
import { fromDb, TRACK_COLUMNS, type TrackDbRow } from "./track-rows.js";

export interface VectorPageRow {
  track: StoredTrack;
  vector: Float32Array;
}

export interface VectorPage {
  items: VectorPageRow[];
  next: number | null;
}

export class SqliteVectorPages {
  private readonly hasTable: Database.Statement<[], unknown>;
  private readonly page: Database.Statement<[bigint, number], TrackDbRow>;
  /** Prepared once the vector table exists (it is made on first use of a model). */
  private select: Database.Statement<[bigint], { embedding: Buffer }> | null = null;

  constructor(private readonly db: Database.Database) {
    this.hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'track_vectors'");
    this.page = db.prepare(
      `SELECT ${TRACK_COLUMNS} FROM tracks WHERE rowid > ? AND embedded_hash IS NOT NULL ORDER BY rowid LIMIT ?`,
    );
  }

  /**
   * Up to `limit` embedded tracks with rowid above `afterRowid`, by rowid, and the rowid to continue after (null at
   * the end, or when there are no vectors).
   */
  vectorPage(afterRowid: number, limit: number): VectorPage {
    if (this.hasTable.get() === undefined) return { items: [], next: null };
    this.select ??= this.db.prepare<[bigint], { embedding: Buffer }>(
      "SELECT embedding FROM track_vectors WHERE track_rowid = ?",
    );
    const select = this.select;
    const rows = this.page.all(BigInt(afterRowid), limit);
    const items: VectorPageRow[] = [];
    for (const row of rows) {
      const hit = select.get(BigInt(row.rowid));
      if (hit) items.push({ track: fromDb(row), vector: vectorFromBlob(hit.embedding) });
    }
    const last = rows.at(-1);
    return { items, next: rows.length < limit || !last ? null : last.rowid };
  }
}
