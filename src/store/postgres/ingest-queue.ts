import { normName, songKey } from "../../domain/text.js";
import { allGenresOf } from "../merge.js";
import { fromDb, type TrackDbRow } from "../sqlite/track-rows.js";
import type { DescribedTrack, IngestQueue, PendingEmbedding, StoredTrack } from "../types.js";
import type { SyncPgClient } from "./sync-client.js";
import { PG_TRACK_COLUMNS } from "./track-columns.js";

const PENDING = "FROM tracks WHERE desc_hash IS NOT NULL AND embedded_hash IS DISTINCT FROM desc_hash";

/**
 * The resumable work of ingest, as in SQLite: dirty tracks wait for a description, new descriptions wait for a
 * vector. Saving a batch of descriptions is one transaction of set statements (genres, names, the descriptions).
 */
export class PgIngestQueue implements IngestQueue {
  constructor(private readonly pg: SyncPgClient) {}

  countDirty(): number {
    return this.pg.query<{ n: number }>("SELECT count(*) AS n FROM tracks WHERE dirty")[0]?.n ?? 0;
  }

  dirtyTracks(limit: number): StoredTrack[] {
    const tracks = this.pg
      .query<TrackDbRow>(`SELECT ${PG_TRACK_COLUMNS} FROM tracks WHERE dirty ORDER BY rowid LIMIT $1`, [
        limit,
      ])
      .map(fromDb);
    const artistIds = [...new Set(tracks.flatMap((t) => t.artistIds))];
    const genresOf = new Map(
      this.pg
        .query<{ id: string; genres: string }>("SELECT id, genres FROM artists WHERE id = ANY($1::text[])", [
          artistIds,
        ])
        .map((r) => [r.id, JSON.parse(r.genres) as string[]]),
    );
    for (const t of tracks)
      t.allGenres = allGenresOf(
        t.genres,
        t.artistIds.flatMap((id) => genresOf.get(id) ?? []),
      );
    return tracks;
  }

  saveDescriptions(items: readonly DescribedTrack[]): void {
    if (items.length === 0) return;
    const rowids = items.map((i) => i.rowid);
    this.pg.inTransaction(() => {
      const names = new Map(
        this.pg
          .query<{ rowid: number; name: string; artists: string }>(
            "SELECT rowid, name, artists FROM tracks WHERE rowid = ANY($1::bigint[])",
            [rowids],
          )
          .map((r) => [r.rowid, { name: r.name, artists: JSON.parse(r.artists) as string[] }]),
      );
      const genrePairs = items.flatMap((i) => [...new Set(i.genres)].map((g) => [g, i.rowid] as const));
      const artistPairs = items.flatMap((i) =>
        [...new Set((names.get(i.rowid)?.artists ?? []).map(normName))].map((n) => [n, i.rowid] as const),
      );
      const keyOf = (i: DescribedTrack) => {
        const n = names.get(i.rowid);
        return n ? songKey(n.artists, n.name) : null;
      };
      this.pg.run([
        { sql: "DELETE FROM track_genres WHERE track_rowid = ANY($1::bigint[])", params: [rowids] },
        {
          sql: "INSERT INTO track_genres(genre, track_rowid) SELECT * FROM unnest($1::text[], $2::bigint[])",
          params: [genrePairs.map((p) => p[0]), genrePairs.map((p) => p[1])],
        },
        { sql: "DELETE FROM track_artist_names WHERE track_rowid = ANY($1::bigint[])", params: [rowids] },
        {
          sql: "INSERT INTO track_artist_names(norm, track_rowid) SELECT * FROM unnest($1::text[], $2::bigint[])",
          params: [artistPairs.map((p) => p[0]), artistPairs.map((p) => p[1])],
        },
        {
          sql: `UPDATE tracks SET genres = x.genres, description = x.description, desc_hash = x.hash, dirty = false,
                  song_key = x.song_key, title_norm = x.title_norm
                FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                  AS x(rowid, genres, description, hash, song_key, title_norm)
                WHERE tracks.rowid = x.rowid`,
          params: [
            rowids,
            items.map((i) => JSON.stringify(i.genres)),
            items.map((i) => i.description),
            items.map((i) => i.hash),
            items.map(keyOf),
            items.map((i) => normName(names.get(i.rowid)?.name ?? "")),
          ],
        },
      ]);
    });
  }

  countPendingEmbeddings(): number {
    return this.pg.query<{ n: number }>(`SELECT count(*) AS n ${PENDING}`)[0]?.n ?? 0;
  }

  pendingEmbeddings(limit: number): PendingEmbedding[] {
    return this.pg
      .query<{ rowid: number; description: string; desc_hash: string }>(
        `SELECT rowid, description, desc_hash ${PENDING} ORDER BY rowid LIMIT $1`,
        [limit],
      )
      .map((r) => ({ rowid: r.rowid, description: r.description, hash: r.desc_hash }));
  }

  optimize(): void {
    this.pg.query("ANALYZE");
  }
}
