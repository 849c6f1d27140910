import type Database from "better-sqlite3";
import type { PlaylistRecord, PlaylistStore, PlaylistSummary } from "../types.js";

export interface PlaylistDbRow {
  name: string;
  query: string;
  source_json: string;
  tracks_json: string;
  created_at: string;
  updated_at: string;
}

/** Saved playlists: one row each, its source and tracks as JSON (the playlists stage owns their shape). */
export class SqlitePlaylists implements PlaylistStore {
  private readonly upsert: Database.Statement<[string, string, string, string, number, string, string]>;
  private readonly select: Database.Statement<[string], PlaylistDbRow>;
  private readonly selectAll: Database.Statement<[], PlaylistSummary>;
  private readonly remove: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      "INSERT OR REPLACE INTO playlists(name, query, source_json, tracks_json, track_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.select = db.prepare(
      "SELECT name, query, source_json, tracks_json, created_at, updated_at FROM playlists WHERE name = ?",
    );
    this.selectAll = db.prepare(
      "SELECT name, track_count AS tracks, query, updated_at AS updatedAt FROM playlists ORDER BY name",
    );
    this.remove = db.prepare("DELETE FROM playlists WHERE name = ?");
  }

  putPlaylist(r: PlaylistRecord): void {
    this.upsert.run(...playlistValues(r));
  }

  playlistRecord(name: string): PlaylistRecord | null {
    const row = this.select.get(name);
    return row ? playlistFromRow(row) : null;
  }

  playlistSummaries(): PlaylistSummary[] {
    return this.selectAll.all();
  }

  removePlaylist(name: string): boolean {
    return this.remove.run(name).changes > 0;
  }
}

/** A playlists row as the record the playlists stage reads (both stores keep the same columns). */
export function playlistFromRow(row: PlaylistDbRow): PlaylistRecord {
  return {
    name: row.name,
    query: row.query,
    source: JSON.parse(row.source_json) as unknown,
    tracks: JSON.parse(row.tracks_json) as unknown[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A record's column values in table order: name, query, source_json, tracks_json, track_count, created_at, updated_at. */
export function playlistValues(r: PlaylistRecord): [string, string, string, string, number, string, string] {
  return [
    r.name,
    r.query,
    JSON.stringify(r.source),
    JSON.stringify(r.tracks),
    r.tracks.length,
    r.createdAt,
    r.updatedAt,
  ];
}
