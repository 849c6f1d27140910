import type { FilterField, ProfileField } from "../../domain/fields.js";
import { normName } from "../../domain/text.js";
import {
  densityGrid,
  densitySql,
  misfitTerm,
  POSTGRES_DIALECT,
  profileOf,
  profileSql,
} from "../sql-terms.js";
import { fromDb, type TrackDbRow } from "../sqlite/track-rows.js";
import type {
  CatalogReader,
  CatalogReaderPart,
  FeatureProfile,
  StoredTrack,
  StoreStats,
  TrackFilters,
} from "../types.js";
import { filterConditions, Params, whereSql } from "./filters.js";
import type { PgMeta } from "./meta.js";
import type { SyncPgClient } from "./sync-client.js";
import { PG_TRACK_COLUMNS } from "./track-columns.js";

/** Reads for planning and search, with the SQLite reader's meaning (./sqlite/catalog-reader.ts). */
export class PgCatalogReader implements CatalogReaderPart {
  constructor(
    private readonly pg: SyncPgClient,
    private readonly meta: PgMeta,
  ) {}

  getTracks(rowids: readonly number[]): StoredTrack[] {
    if (rowids.length === 0) return [];
    const rows = this.pg.query<TrackDbRow>(
      `SELECT ${PG_TRACK_COLUMNS} FROM tracks WHERE rowid = ANY($1::bigint[])`,
      [rowids],
    );
    const byId = new Map(rows.map((r) => [r.rowid, fromDb(r)]));
    return rowids.flatMap((id) => byId.get(id) ?? []);
  }

  tracksByIds(ids: readonly string[]): StoredTrack[] {
    if (ids.length === 0) return [];
    const rows = this.pg.query<{ rowid: number }>("SELECT rowid FROM tracks WHERE id = ANY($1::text[])", [
      ids,
    ]);
    return this.getTracks(rows.map((r) => r.rowid));
  }

  filterOnly(k: number, filters: TrackFilters): number[] {
    return this.listed(k, filters, "popularity DESC, rowid");
  }

  closestTo(...[k, filters, targets]: Parameters<CatalogReader["closestTo"]>): number[] {
    const terms = targets.flatMap((t) => misfitTerm(t, POSTGRES_DIALECT) ?? []);
    if (terms.length === 0) return this.filterOnly(k, filters);
    return this.listed(k, filters, `${terms.join(" + ")}, popularity DESC, rowid`);
  }

  countMatching(filters: TrackFilters): number {
    const p = new Params();
    const where = whereSql(filterConditions(filters, p));
    return this.pg.query<{ n: number }>(`SELECT count(*) AS n FROM tracks t ${where}`, p.values)[0]?.n ?? 0;
  }

  versionsOf(rowids: readonly number[]): number[] {
    return this.pg
      .query<{ rowid: number }>(
        `SELECT rowid FROM tracks WHERE song_key IN (SELECT song_key FROM tracks WHERE rowid = ANY($1::bigint[]))
         UNION SELECT unnest($1::bigint[])`,
        [rowids],
      )
      .map((r) => r.rowid);
  }

  findArtist(norm: string): string | null {
    const [row] = this.pg.query<{ artists: string }>(
      `SELECT t.artists FROM track_artist_names a JOIN tracks t ON t.rowid = a.track_rowid
       WHERE a.norm = $1 ORDER BY t.popularity DESC, t.rowid LIMIT 1`,
      [norm],
    );
    if (!row) return null;
    return (JSON.parse(row.artists) as string[]).find((a) => normName(a) === norm) ?? null;
  }

  artistNamesStartingWith(prefix: string, limit: number): string[] {
    return this.pg
      .query<{ norm: string }>(
        "SELECT DISTINCT norm FROM track_artist_names WHERE norm >= $1 AND norm < $2 ORDER BY norm LIMIT $3",
        [prefix, `${prefix}\uffff`, limit],
      )
      .map((r) => r.norm);
  }

  findTitles(title: string, limit: number): StoredTrack[] {
    const words = normName(title).split(" ").filter(Boolean);
    if (words.length === 0) return [];
    // Every word must appear (plainto_tsquery ANDs them and has no syntax of its own).
    const rows = this.pg.query<{ rowid: number }>(
      `SELECT rowid FROM tracks, plainto_tsquery('simple', $1) q
       WHERE to_tsvector('simple', coalesce(title_norm, '')) @@ q
       ORDER BY ts_rank(to_tsvector('simple', coalesce(title_norm, '')), q) DESC, popularity DESC, rowid LIMIT $2`,
      [words.join(" "), limit],
    );
    return this.getTracks(rows.map((r) => r.rowid));
  }

  profile(filters: TrackFilters): FeatureProfile | null {
    const p = new Params();
    const where = whereSql(filterConditions(filters, p));
    return profileOf(
      this.pg.query<Record<ProfileField, number>>(
        profileSql(`FROM tracks t ${where} ORDER BY rowid`),
        p.values,
      ),
    );
  }

  genreLabels(): string[] {
    return this.pg
      .query<{ genre: string }>('SELECT genre FROM track_genres GROUP BY genre ORDER BY genre COLLATE "C"')
      .map((r) => r.genre);
  }

  genreOverlap(label: string): Array<{ genre: string; share: number }> {
    const [total] = this.pg.query<{ n: number }>("SELECT count(*) AS n FROM track_genres WHERE genre = $1", [
      label,
    ]);
    if (!total?.n) return [];
    return this.pg
      .query<{ genre: string; n: number }>(
        `SELECT b.genre AS genre, count(*) AS n FROM track_genres a
         JOIN track_genres b ON b.track_rowid = a.track_rowid AND b.genre <> a.genre
         WHERE a.genre = $1 GROUP BY b.genre ORDER BY n DESC, b.genre COLLATE "C"`,
        [label],
      )
      .map((r) => ({ genre: r.genre, share: r.n / total.n }));
  }

  hasYears(): boolean {
    return this.pg.query("SELECT 1 FROM tracks WHERE year > 0 LIMIT 1").length > 0;
  }

  featureDensity(x: FilterField, y: FilterField, bins: number): number[][] {
    const sql = densitySql(x, y, bins, POSTGRES_DIALECT);
    return densityGrid(this.pg.query<{ bx: number; by: number; n: number }>(sql), bins);
  }

  stats(): StoreStats {
    const [counts] = this.pg.query<Omit<StoreStats, "model">>(
      `SELECT (SELECT count(*) FROM tracks) AS tracks,
              (SELECT count(*) FROM tracks WHERE embedded_hash IS NOT NULL) AS embedded,
              (SELECT count(*) FROM artists) AS artists,
              (SELECT count(DISTINCT genre) FROM track_genres) AS genres`,
    );
    return { tracks: 0, embedded: 0, artists: 0, genres: 0, ...counts, model: this.meta.modelInfo() };
  }

  /** Rowids of tracks passing the filters in this order, at most k. */
  private listed(k: number, filters: TrackFilters, order: string): number[] {
    const p = new Params();
    const where = whereSql(filterConditions(filters, p));
    return this.pg
      .query<{ rowid: number }>(
        `SELECT rowid FROM tracks t ${where} ORDER BY ${order} LIMIT ${p.add(k)}`,
        p.values,
      )
      .map((r) => r.rowid);
  }
}
