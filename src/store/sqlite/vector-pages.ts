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
  private readonly page: Database.Statement<[bigint, number], TrackDbRow & { vector: Buffer }>;

  constructor(db: Database.Database) {
    // The full-precision vectors by rowid (m007): a vec0 point lookup per row costs about 2 ms.
    this.page = db.prepare(
      `SELECT ${TRACK_COLUMNS}, (SELECT vector FROM track_embeddings e WHERE e.rowid = tracks.rowid) AS vector
       FROM tracks WHERE rowid > ? AND embedded_hash IS NOT NULL ORDER BY rowid LIMIT ?`,
    );
  }

  /**
   * Up to `limit` embedded tracks with rowid above `afterRowid`, by rowid, and the rowid to continue after (null at
   * the end).
   */
  vectorPage(afterRowid: number, limit: number): VectorPage {
    const rows = this.page.all(BigInt(afterRowid), limit);
    const items: VectorPageRow[] = [];
    for (const { vector, ...row } of rows) {
      if (vector) items.push({ track: fromDb(row as TrackDbRow), vector: vectorFromBlob(vector) });
    }
    const last = rows.at(-1);
    return { items, next: rows.length < limit || !last ? null : last.rowid };
  }
}
