import type Database from "better-sqlite3";
import { normName, songKey } from "../../domain/text.js";

/** Name lookups (artist names, title search, song identity) that follow a track's current fields. */
export class NameIndex {
  private readonly selectNames: Database.Statement<[bigint], { name: string; artists: string }>;
  private readonly deleteArtistNames: Database.Statement<[bigint]>;
  private readonly insertArtistName: Database.Statement<[string, bigint]>;
  private readonly deleteTitle: Database.Statement<[bigint]>;
  private readonly insertTitle: Database.Statement<[bigint, string]>;
  private readonly setSongKey: Database.Statement<[string, bigint]>;

  constructor(db: Database.Database) {
    this.selectNames = db.prepare("SELECT name, artists FROM tracks WHERE rowid = ?");
    this.deleteArtistNames = db.prepare("DELETE FROM track_artist_names WHERE track_rowid = ?");
    this.insertArtistName = db.prepare(
      "INSERT OR IGNORE INTO track_artist_names(norm, track_rowid) VALUES (?, ?)",
    );
    this.deleteTitle = db.prepare("DELETE FROM track_titles WHERE rowid = ?");
    this.insertTitle = db.prepare("INSERT INTO track_titles(rowid, name) VALUES (?, ?)");
    this.setSongKey = db.prepare("UPDATE tracks SET song_key = ? WHERE rowid = ?");
  }

  index(rowid: bigint): void {
    const row = this.selectNames.get(rowid);
    this.deleteArtistNames.run(rowid);
    this.deleteTitle.run(rowid);
    if (!row) return;
    const artists = JSON.parse(row.artists) as string[];
    for (const artist of artists) this.insertArtistName.run(normName(artist), rowid);
    this.insertTitle.run(rowid, row.name);
    this.setSongKey.run(songKey(artists, row.name), rowid);
  }
}
