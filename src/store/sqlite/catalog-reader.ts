import type Database from "better-sqlite3";
import type { FilterField, ProfileField } from "../../domain/fields.js";
import { normName } from "../../domain/text.js";
import { densityGrid, densitySql, misfitTerm, profileOf, profileSql, SQLITE_DIALECT } from "../sql-terms.js";
import type {
  CatalogReaderPart,
  FeatureProfile,
  FeatureTarget,
  StoredTrack,
  StoreStats,
  TrackFilters,
} from "../types.js";
import { filterSql, whereClause } from "./filters.js";
import type { Meta } from "./meta.js";
import { StatementCache } from "./statements.js";
import { fromDb, TRACK_COLUMNS, type TrackDbRow } from "./track-rows.js";

type Count = Database.Statement<[], { n: number }>;

/** Reads for planning and search: tracks, filtered listings, names, genres and profiles. */
export class SqliteCatalogReader implements CatalogReaderPart {
  private readonly queries: StatementCache;
  private readonly selectTracks: Database.Statement<[string], TrackDbRow>;
  private readonly selectByTrackIds: Database.Statement<[string], { rowid: number }>;
  private readonly selectVersions: Database.Statement<[string, string], { rowid: number }>;
  private readonly artistByNorm: Database.Statement<[string], { artists: string }>;
  private readonly artistNames: Database.Statement<[string, string, bigint], { norm: string }>;
  private readonly titleSearch: Database.Statement<[string, bigint], { rowid: number }>;
  private readonly selectGenres: Database.Statement<[], { genre: string }>;
  private readonly genreCount: Database.Statement<[string], { n: number }>;
  private readonly genreCooccurring: Database.Statement<[string, string], { genre: string; n: number }>;
  private readonly anyYear: Database.Statement<[], unknown>;
  private readonly counts: Record<Exclude<keyof StoreStats, "model">, Count>;

  constructor(
    db: Database.Database,
    private readonly meta: Meta,
  ) {
    this.queries = new StatementCache(db);
    this.selectTracks = db.prepare(
      `SELECT ${TRACK_COLUMNS} FROM tracks WHERE rowid IN (SELECT value FROM json_each(?))`,
    );
    this.selectByTrackIds = db.prepare(
      "SELECT rowid FROM tracks WHERE id IN (SELECT value FROM json_each(?))",
    );
    this.selectVersions = db.prepare(
      "SELECT rowid FROM tracks WHERE song_key IN (SELECT song_key FROM tracks WHERE rowid IN (SELECT value FROM json_each(?))) UNION SELECT value FROM json_each(?)",
    );
    this.artistByNorm = db.prepare(
      "SELECT t.artists FROM track_artist_names a JOIN tracks t ON t.rowid = a.track_rowid WHERE a.norm = ? ORDER BY t.popularity DESC, t.rowid LIMIT 1",
    );
    this.artistNames = db.prepare(
      "SELECT DISTINCT norm FROM track_artist_names WHERE norm >= ? AND norm < ? LIMIT ?",
    );
    this.titleSearch = db.prepare(
      "SELECT rowid FROM track_titles WHERE track_titles MATCH ? ORDER BY rank LIMIT ?",
    );
    this.selectGenres = db.prepare("SELECT DISTINCT genre FROM track_genres ORDER BY genre");
    this.genreCount = db.prepare("SELECT count(*) AS n FROM track_genres WHERE genre = ?");
    this.genreCooccurring = db.prepare(
      `SELECT b.genre AS genre, count(*) AS n FROM track_genres a
       JOIN track_genres b ON b.track_rowid = a.track_rowid AND b.genre <> a.genre
       WHERE a.genre = ? AND b.genre <> ? GROUP BY b.genre ORDER BY n DESC, b.genre`,
    );
    this.anyYear = db.prepare("SELECT 1 FROM tracks WHERE year > 0 LIMIT 1");
    this.counts = {
      tracks: db.prepare("SELECT count(*) AS n FROM tracks"),
      embedded: db.prepare("SELECT count(*) AS n FROM tracks WHERE embedded_hash IS NOT NULL"),
      artists: db.prepare("SELECT count(*) AS n FROM artists"),
      // Walks the (genre, track) key in order: count(DISTINCT genre) sorts every row in a temporary b-tree.
      genres: db.prepare("SELECT count(*) AS n FROM (SELECT DISTINCT genre FROM track_genres)"),
    };
  }

  getTracks(rowids: readonly number[]): StoredTrack[] {
    if (rowids.length === 0) return [];
    const rows = this.selectTracks.all(JSON.stringify(rowids));
    const byId = new Map(rows.map((r) => [r.rowid, fromDb(r)]));
    return rowids.flatMap((id) => byId.get(id) ?? []);
  }

  tracksByIds(ids: readonly string[]): StoredTrack[] {
    if (ids.length === 0) return [];
    return this.getTracks(this.selectByTrackIds.all(JSON.stringify(ids)).map((r) => r.rowid));
  }

  filterOnly(k: number, filters: TrackFilters): number[] {
    const f = filterSql(filters, "rowid");
    return this.queries
      .get<{ rowid: number }>(
        `SELECT rowid FROM tracks ${whereClause(f)} ORDER BY popularity DESC, rowid LIMIT ?`,
      )
      .all(...f.params, BigInt(k))
      .map((r) => r.rowid);
  }

  closestTo(k: number, filters: TrackFilters, targets: readonly FeatureTarget[]): number[] {
    const terms = targets.flatMap((t) => misfitTerm(t, SQLITE_DIALECT) ?? []);
    if (terms.length === 0) return this.filterOnly(k, filters);
    const f = filterSql(filters, "rowid");
    return this.queries
      .get<{ rowid: number }>(
        `SELECT rowid FROM tracks ${whereClause(f)} ORDER BY ${terms.join(" + ")}, popularity DESC, rowid LIMIT ?`,
      )
      .all(...f.params, BigInt(k))
      .map((r) => r.rowid);
  }

  countMatching(filters: TrackFilters): number {
    const f = filterSql(filters, "rowid");
    const row = this.queries
      .get<{ n: number }>(`SELECT count(*) AS n FROM tracks ${whereClause(f)}`)
      .get(...f.params);
    return row?.n ?? 0;
  }

  versionsOf(rowids: readonly number[]): number[] {
    const json = JSON.stringify(rowids);
    return this.selectVersions.all(json, json).map((r) => r.rowid);
  }

  findArtist(norm: string): string | null {
    const row = this.artistByNorm.get(norm);
    if (!row) return null;
    return (JSON.parse(row.artists) as string[]).find((a) => normName(a) === norm) ?? null;
  }

  artistNamesStartingWith(prefix: string, limit: number): string[] {
    return this.artistNames.all(prefix, `${prefix}\uffff`, BigInt(limit)).map((r) => r.norm);
  }

  findTitles(title: string, limit: number): StoredTrack[] {
    const words = normName(title).split(" ").filter(Boolean);
    if (words.length === 0) return [];
    // Every word must appear; quoting keeps FTS5 syntax characters literal.
    const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(" ");
    return this.getTracks(this.titleSearch.all(match, BigInt(limit)).map((r) => r.rowid));
  }

  profile(filters: TrackFilters): FeatureProfile | null {
    const f = filterSql(filters, "rowid");
    return profileOf(
      this.queries
        .get<Record<ProfileField, number>>(profileSql(`FROM tracks ${whereClause(f)}`))
        .all(...f.params),
    );
  }

  genreLabels(): string[] {
    return this.selectGenres.all().map((r) => r.genre);
  }

  genreOverlap(label: string): Array<{ genre: string; share: number }> {
    const total = this.genreCount.get(label)?.n ?? 0;
    if (total === 0) return [];
    return this.genreCooccurring.all(label, label).map((r) => ({ genre: r.genre, share: r.n / total }));
  }

  hasYears(): boolean {
    return this.anyYear.get() !== undefined;
  }

  featureDensity(x: FilterField, y: FilterField, bins: number): number[][] {
    const sql = densitySql(x, y, bins, SQLITE_DIALECT);
    return densityGrid(this.queries.get<{ bx: number; by: number; n: number }>(sql).all(), bins);
  }

  stats(): StoreStats {
    const n = (c: Count) => c.get()?.n ?? 0;
    const { tracks, embedded, artists, genres } = this.counts;
    return {
      tracks: n(tracks),
      embedded: n(embedded),
      artists: n(artists),
      genres: n(genres),
      model: this.meta.modelInfo(),
    };
  }
}
