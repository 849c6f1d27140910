import type { ArtistRow, TrackRow } from "../../domain/track.js";
import { artistRowJson, upsertedRow } from "../merge.js";
import { rowFromCanonical, trackParams } from "../sqlite/track-rows.js";
import type { CatalogWriter, UpsertCounts } from "../types.js";
import type { SyncPgClient } from "./sync-client.js";
import { UPSERT_TRACKS_SQL } from "./track-columns.js";

/**
 * Upserts rows from the CSV files, a batch per transaction in three statements (read the existing rows, write the
 * changed ones, link their artists); a row whose canonical text is unchanged is left alone, as in SQLite.
 */
export class PgCatalogWriter implements CatalogWriter {
  constructor(private readonly pg: SyncPgClient) {}

  upsertTracks(rows: readonly TrackRow[]): UpsertCounts {
    if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
    return this.pg.inTransaction(() => {
      const ids = [...new Set(rows.map((r) => r.id))];
      const stored = new Map(
        this.pg
          .query<{ id: string; row_json: string }>(
            "SELECT id, row_json FROM tracks WHERE id = ANY($1::text[]) FOR UPDATE",
            [ids],
          )
          .map((r) => [r.id, r.row_json]),
      );
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      // The latest version of each id in this batch: a repeated id merges into the row written before it.
      const writes = new Map<string, Record<string, string | number | null>>();
      const artistIds = new Map<string, Set<string>>();
      for (const incoming of rows) {
        const before = writes.get(incoming.id)?.row_json ?? stored.get(incoming.id);
        const params = trackParams(
          upsertedRow(typeof before === "string" ? rowFromCanonical(before) : null, incoming),
        );
        if (params.row_json === before) {
          counts.unchanged++;
          continue;
        }
        if (before === undefined) counts.inserted++;
        else counts.updated++;
        writes.set(incoming.id, params);
        const links = artistIds.get(incoming.id) ?? new Set<string>();
        for (const a of incoming.artistIds) links.add(a);
        artistIds.set(incoming.id, links);
      }
      if (writes.size === 0) return counts;
      const written = this.pg.query<{ rowid: number; id: string }>(UPSERT_TRACKS_SQL, [
        JSON.stringify([...writes.values()]),
      ]);
      const pairs = written.flatMap((w) =>
        [...(artistIds.get(w.id) ?? [])].map((a) => [a, w.rowid] as const),
      );
      this.pg.query(
        "INSERT INTO track_artists(artist_id, track_rowid) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING",
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      return counts;
    });
  }

  upsertArtists(rows: readonly ArtistRow[]): UpsertCounts {
    if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
    return this.pg.inTransaction(() => {
      const latest = new Map(rows.map((a) => [a.id, a]));
      const stored = new Map(
        this.pg
          .query<{ id: string; row_json: string }>(
            "SELECT id, row_json FROM artists WHERE id = ANY($1::text[])",
            [[...latest.keys()]],
          )
          .map((r) => [r.id, r.row_json]),
      );
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      const changed: Array<Record<string, unknown>> = [];
      for (const a of latest.values()) {
        const rowJson = artistRowJson(a);
        const before = stored.get(a.id);
        if (before === rowJson) {
          counts.unchanged++;
          continue;
        }
        if (before === undefined) counts.inserted++;
        else counts.updated++;
        changed.push({ ...a, genres: JSON.stringify(a.genres), row_json: rowJson });
      }
      counts.unchanged += rows.length - latest.size;
      if (changed.length === 0) return counts;
      this.pg.query(
        `INSERT INTO artists(id, name, followers, popularity, genres, row_json)
         SELECT id, name, followers, popularity, genres, row_json FROM jsonb_to_recordset($1::jsonb)
           AS x(id text, name text, followers bigint, popularity integer, genres text, row_json text)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, followers = excluded.followers,
           popularity = excluded.popularity, genres = excluded.genres, row_json = excluded.row_json`,
        [JSON.stringify(changed)],
      );
      // Tracks already ingested pick up these artists' genres at the next describe pass.
      this.pg.query(
        "UPDATE tracks SET dirty = true WHERE rowid IN (SELECT track_rowid FROM track_artists WHERE artist_id = ANY($1::text[]))",
        [changed.map((a) => a.id)],
      );
      return counts;
    });
  }
}
