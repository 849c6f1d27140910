import type Database from "better-sqlite3";
import type { ArtistRow, TrackRow } from "../../domain/track.js";
import { artistRowJson, upsertedRow } from "../merge.js";
import type { CatalogWriter, UpsertCounts } from "../types.js";
import { INSERT_TRACK_SQL, rowFromCanonical, trackParams, UPDATE_TRACK_SQL } from "./track-rows.js";

/** Upserts rows from the CSV files; a row whose canonical text is unchanged is left alone (and stays described). */
export class SqliteCatalogWriter implements CatalogWriter {
  private readonly selectTrack: Database.Statement<[string], { rowid: number; row_json: string }>;
  private readonly insertTrack: Database.Statement<[Record<string, unknown>]>;
  private readonly updateTrack: Database.Statement<[Record<string, unknown>]>;
  private readonly linkArtist: Database.Statement<[string, bigint]>;
  private readonly selectArtist: Database.Statement<[string], { row_json: string }>;
  private readonly upsertArtist: Database.Statement<[Record<string, unknown>]>;
  private readonly markArtistTracksDirty: Database.Statement<[string]>;
  private readonly tracksTx: (rows: readonly TrackRow[]) => UpsertCounts;
  private readonly artistsTx: (rows: readonly ArtistRow[]) => UpsertCounts;

  constructor(db: Database.Database) {
    this.selectTrack = db.prepare("SELECT rowid, row_json FROM tracks WHERE id = ?");
    this.insertTrack = db.prepare(INSERT_TRACK_SQL);
    this.updateTrack = db.prepare(UPDATE_TRACK_SQL);
    this.linkArtist = db.prepare("INSERT OR IGNORE INTO track_artists(artist_id, track_rowid) VALUES (?, ?)");
    this.selectArtist = db.prepare("SELECT row_json FROM artists WHERE id = ?");
    this.upsertArtist = db.prepare(`INSERT INTO artists(id, name, followers, popularity, genres, row_json)
      VALUES (@id, @name, @followers, @popularity, @genres, @row_json)
      ON CONFLICT(id) DO UPDATE SET name=excluded.name, followers=excluded.followers, popularity=excluded.popularity,
      genres=excluded.genres, row_json=excluded.row_json`);
    this.markArtistTracksDirty = db.prepare(
      "UPDATE tracks SET dirty = 1 WHERE rowid IN (SELECT track_rowid FROM track_artists WHERE artist_id = ?)",
    );
    this.tracksTx = db.transaction((rows: readonly TrackRow[]) => this.writeTracks(rows));
    this.artistsTx = db.transaction((rows: readonly ArtistRow[]) => this.writeArtists(rows));
  }

  upsertTracks(rows: readonly TrackRow[]): UpsertCounts {
    return this.tracksTx(rows);
  }

  upsertArtists(rows: readonly ArtistRow[]): UpsertCounts {
    return this.artistsTx(rows);
  }

  private writeTracks(rows: readonly TrackRow[]): UpsertCounts {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const incoming of rows) {
      const existing = this.selectTrack.get(incoming.id);
      let rowid: number;
      const params = trackParams(
        upsertedRow(existing ? rowFromCanonical(existing.row_json) : null, incoming),
      );
      if (!existing) {
        rowid = Number(this.insertTrack.run(params).lastInsertRowid);
        counts.inserted++;
      } else {
        rowid = existing.rowid;
        if (params.row_json === existing.row_json) {
          counts.unchanged++;
          continue;
        }
        this.updateTrack.run(params);
        counts.updated++;
      }
      for (const artistId of incoming.artistIds) this.linkArtist.run(artistId, BigInt(rowid));
    }
    return counts;
  }

  private writeArtists(rows: readonly ArtistRow[]): UpsertCounts {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const a of rows) {
      const rowJson = artistRowJson(a);
      const existing = this.selectArtist.get(a.id);
      if (existing?.row_json === rowJson) {
        counts.unchanged++;
        continue;
      }
      this.upsertArtist.run({
        id: a.id,
        name: a.name,
        followers: a.followers,
        popularity: a.popularity,
        genres: JSON.stringify(a.genres),
        row_json: rowJson,
      });
      // Tracks already ingested pick up this artist's genres at the next describe pass.
      this.markArtistTracksDirty.run(a.id);
      if (existing) counts.updated++;
      else counts.inserted++;
    }
    return counts;
  }
}
