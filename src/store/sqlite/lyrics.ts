import type Database from "better-sqlite3";
import type { LyricsRecord, LyricsStore, TrackLyrics } from "../types.js";
import { blobFromVector, vectorFromBlob } from "./statements.js";

interface LyricsRow {
  track_rowid: number;
  themes: string;
  vector: Buffer;
}

/** Lyrics vectors and themes per track (table track_lyrics, migration m005_lyrics). */
export class SqliteLyrics implements LyricsStore {
  private readonly upsert: Database.Statement<[bigint, string, string, string, number, Buffer]>;
  private readonly count: Database.Statement<[string], { n: number }>;
  private readonly any: Database.Statement<[string], unknown>;
  private readonly hashes: Database.Statement<[string], { track_rowid: number; hash: string }>;
  private readonly ofModel: Database.Statement<[string, string], LyricsRow>;
  private readonly nearest: Database.Statement<[Buffer, string, number], { track_rowid: number; d: number }>;
  private readonly saveTx: (items: readonly LyricsRecord[]) => void;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(`INSERT INTO track_lyrics(track_rowid, hash, model, themes, chunks, vector)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(track_rowid) DO UPDATE SET hash = excluded.hash, model = excluded.model, themes = excluded.themes,
        chunks = excluded.chunks, vector = excluded.vector, updated_at = datetime('now')`);
    this.count = db.prepare("SELECT count(*) AS n FROM track_lyrics WHERE model = ?");
    this.any = db.prepare("SELECT 1 FROM track_lyrics WHERE model = ? LIMIT 1");
    // Rowids as one JSON array parameter, as the catalog reader passes them: one statement, no placeholder limit.
    this.hashes = db.prepare(
      "SELECT track_rowid, hash FROM track_lyrics WHERE track_rowid IN (SELECT value FROM json_each(?))",
    );
    this.ofModel = db.prepare(
      "SELECT track_rowid, themes, vector FROM track_lyrics WHERE track_rowid IN (SELECT value FROM json_each(?)) AND model = ?",
    );
    this.nearest = db.prepare(
      "SELECT track_rowid, vec_distance_cosine(vector, ?) AS d FROM track_lyrics WHERE model = ? ORDER BY d LIMIT ?",
    );
    this.saveTx = db.transaction((items: readonly LyricsRecord[]) => {
      for (const r of items)
        this.upsert.run(
          BigInt(r.rowid),
          r.hash,
          r.model,
          JSON.stringify(r.themes),
          r.chunks,
          blobFromVector(r.vector),
        );
    });
  }

  lyricsHashes(rowids: readonly number[]): Map<number, string> {
    const rows = this.hashes.all(JSON.stringify(rowids));
    return new Map(rows.map((r) => [r.track_rowid, r.hash]));
  }

  saveLyrics(items: readonly LyricsRecord[]): void {
    if (items.length > 0) this.saveTx(items);
  }

  lyricsCount(model: string): number {
    return this.count.get(model)?.n ?? 0;
  }

  hasLyrics(model: string): boolean {
    return this.any.get(model) !== undefined;
  }

  lyricsOf(rowids: readonly number[], model: string): Map<number, TrackLyrics> {
    const rows = this.ofModel.all(JSON.stringify(rowids), model);
    return new Map(
      rows.map((r) => [
        r.track_rowid,
        { rowid: r.track_rowid, themes: JSON.parse(r.themes) as string[], vector: vectorFromBlob(r.vector) },
      ]),
    );
  }

  nearestLyrics(
    vector: Float32Array,
    k: number,
    model: string,
  ): Array<{ rowid: number; similarity: number }> {
    return this.nearest
      .all(blobFromVector(vector), model, k)
      .map((r) => ({ rowid: r.track_rowid, similarity: 1 - r.d }));
  }
}
