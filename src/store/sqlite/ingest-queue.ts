import type Database from "better-sqlite3";
import { allGenresOf } from "../merge.js";
import type { DescribedTrack, IngestQueue, PendingEmbedding, StoredTrack } from "../types.js";
import { NameIndex } from "./name-index.js";
import { fromDb, TRACK_COLUMNS, type TrackDbRow } from "./track-rows.js";

/** Where the vector index learns that described tracks may carry new feature values. */
export interface FeatureChanges {
  refreshMetadata(rowids: readonly bigint[]): void;
}

/** The resumable work of ingest: dirty tracks wait for a description, new descriptions wait for a vector. */
export class SqliteIngestQueue implements IngestQueue {
  private readonly names: NameIndex;
  private readonly countDirtyRows: Database.Statement<[], { n: number }>;
  private readonly selectDirty: Database.Statement<[number], TrackDbRow>;
  private readonly artistGenres: Database.Statement<[string], { genres: string }>;
  private readonly deleteGenres: Database.Statement<[bigint]>;
  private readonly insertGenre: Database.Statement<[string, bigint]>;
  private readonly saveDescription: Database.Statement<[string, string, string, bigint]>;
  private readonly countPending: Database.Statement<[], { n: number }>;
  private readonly selectPending: Database.Statement<
    [number],
    { rowid: number; description: string; desc_hash: string }
  >;
  private readonly saveTx: (items: readonly DescribedTrack[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly features: FeatureChanges,
  ) {
    this.names = new NameIndex(db);
    this.countDirtyRows = db.prepare("SELECT count(*) AS n FROM tracks WHERE dirty = 1");
    this.selectDirty = db.prepare(
      `SELECT ${TRACK_COLUMNS} FROM tracks WHERE dirty = 1 ORDER BY rowid LIMIT ?`,
    );
    this.artistGenres = db.prepare("SELECT genres FROM artists WHERE id = ?");
    this.deleteGenres = db.prepare("DELETE FROM track_genres WHERE track_rowid = ?");
    this.insertGenre = db.prepare("INSERT OR IGNORE INTO track_genres(genre, track_rowid) VALUES (?, ?)");
    this.saveDescription = db.prepare(
      "UPDATE tracks SET genres = ?, description = ?, desc_hash = ?, dirty = 0 WHERE rowid = ?",
    );
    const pending = "FROM tracks WHERE desc_hash IS NOT NULL AND embedded_hash IS NOT desc_hash";
    this.countPending = db.prepare(`SELECT count(*) AS n ${pending}`);
    this.selectPending = db.prepare(`SELECT rowid, description, desc_hash ${pending} ORDER BY rowid LIMIT ?`);
    this.saveTx = db.transaction((items: readonly DescribedTrack[]) => this.writeDescriptions(items));
  }

  countDirty(): number {
    return this.countDirtyRows.get()?.n ?? 0;
  }

  dirtyTracks(limit: number): StoredTrack[] {
    return this.selectDirty.all(limit).map((r) => {
      const t = fromDb(r);
      const fromArtists = t.artistIds.flatMap((id) => {
        const row = this.artistGenres.get(id);
        return row ? (JSON.parse(row.genres) as string[]) : [];
      });
      t.allGenres = allGenresOf(t.genres, fromArtists);
      return t;
    });
  }

  saveDescriptions(items: readonly DescribedTrack[]): void {
    this.saveTx(items);
  }

  countPendingEmbeddings(): number {
    return this.countPending.get()?.n ?? 0;
  }

  pendingEmbeddings(limit: number): PendingEmbedding[] {
    return this.selectPending
      .all(limit)
      .map((r) => ({ rowid: r.rowid, description: r.description, hash: r.desc_hash }));
  }

  optimize(): void {
    this.db.exec("ANALYZE");
  }

  private writeDescriptions(items: readonly DescribedTrack[]): void {
    const rowids = items.map((item) => BigInt(item.rowid));
    items.forEach((item, i) => {
      const rowid = rowids[i] as bigint;
      this.deleteGenres.run(rowid);
      for (const g of item.genres) this.insertGenre.run(g, rowid);
      this.saveDescription.run(JSON.stringify(item.genres), item.description, item.hash, rowid);
      this.names.index(rowid);
    });
    this.features.refreshMetadata(rowids);
  }
}
