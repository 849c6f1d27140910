/** Likes, playlists and the concept cache on PostgreSQL: the SQLite parts' tables and meaning, set statements. */

import { type PlaylistDbRow, playlistFromRow, playlistValues } from "../sqlite/playlists.js";
import type { ConceptCache, LikesStore, PlaylistRecord, PlaylistStore, PlaylistSummary } from "../types.js";
import type { SyncPgClient } from "./sync-client.js";

export class PgLikes implements LikesStore {
  constructor(private readonly pg: SyncPgClient) {}

  likes(profile: string): number[] {
    return this.pg
      .query<{ track_rowid: number }>(
        "SELECT track_rowid FROM likes WHERE profile = $1 ORDER BY added_at, track_rowid",
        [profile],
      )
      .map((r) => r.track_rowid);
  }

  addLikes(profile: string, items: ReadonlyArray<{ rowid: number; entry: string }>): number {
    // One row at a time in order, so added_at keeps the order they were given in.
    return this.pg.inTransaction(() =>
      items.reduce(
        (n, i) =>
          n +
          this.pg.query(
            "INSERT INTO likes(profile, track_rowid, entry) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
            [profile, i.rowid, i.entry],
          ).length,
        0,
      ),
    );
  }

  removeLikes(profile: string, rowids: readonly number[]): number {
    return this.pg.query(
      "DELETE FROM likes WHERE profile = $1 AND track_rowid = ANY($2::bigint[]) RETURNING 1",
      [profile, rowids],
    ).length;
  }

  likeProfiles(): Array<{ profile: string; tracks: number }> {
    return this.pg.query<{ profile: string; tracks: number }>(
      'SELECT profile, count(*) AS tracks FROM likes GROUP BY profile ORDER BY profile COLLATE "C"',
    );
  }
}

export class PgPlaylists implements PlaylistStore {
  constructor(private readonly pg: SyncPgClient) {}

  putPlaylist(r: PlaylistRecord): void {
    this.pg.query(
      `INSERT INTO playlists(name, query, source_json, tracks_json, track_count, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (name) DO UPDATE SET query = excluded.query, source_json = excluded.source_json,
         tracks_json = excluded.tracks_json, track_count = excluded.track_count, created_at = excluded.created_at,
         updated_at = excluded.updated_at`,
      playlistValues(r),
    );
  }

  playlistRecord(name: string): PlaylistRecord | null {
    const [row] = this.pg.query<PlaylistDbRow>(
      "SELECT name, query, source_json, tracks_json, created_at, updated_at FROM playlists WHERE name = $1",
      [name],
    );
    return row ? playlistFromRow(row) : null;
  }

  playlistSummaries(): PlaylistSummary[] {
    return this.pg.query<PlaylistSummary>(
      `SELECT name, track_count AS tracks, query, updated_at AS "updatedAt" FROM playlists ORDER BY name COLLATE "C"`,
    );
  }

  removePlaylist(name: string): boolean {
    return this.pg.query("DELETE FROM playlists WHERE name = $1 RETURNING 1", [name]).length > 0;
  }
}

export class PgConcepts implements ConceptCache {
  constructor(private readonly pg: SyncPgClient) {}

  conceptVectors(model: string): Map<string, Float32Array> {
    const rows = this.pg.query<{ text: string; vector: number[] }>(
      "SELECT text, vector FROM concept_vectors WHERE model = $1",
      [model],
    );
    return new Map(rows.map((r) => [r.text, Float32Array.from(r.vector)]));
  }

  saveConceptVectors(model: string, vectors: ReadonlyMap<string, Float32Array>): void {
    if (vectors.size === 0) return;
    const entries = [...vectors];
    // A real[] array literal per phrase: unnest cannot take an array of arrays of different rows.
    this.pg.query(
      `INSERT INTO concept_vectors(model, text, vector)
       SELECT $1, t, v::real[] FROM unnest($2::text[], $3::text[]) AS x(t, v)
       ON CONFLICT (model, text) DO UPDATE SET vector = excluded.vector`,
      [model, entries.map(([t]) => t), entries.map(([, v]) => `{${Array.from(v).join(",")}}`)],
    );
  }
}
