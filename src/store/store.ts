import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { SpotivecError } from "../domain/errors.js";
import { normName, songKey } from "../domain/text.js";
import type { ArtistRow, Track, TrackRow } from "../domain/track.js";

/** Feature columns that searches can filter on; also the vec0 metadata columns, so filters run inside the KNN. */
export const FILTER_FIELDS = [
  "popularity",
  "year",
  "duration_ms",
  "danceability",
  "energy",
  "loudness",
  "mode",
  "speechiness",
  "acousticness",
  "instrumentalness",
  "liveness",
  "valence",
  "tempo",
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

const INTEGER_FIELDS: ReadonlySet<FilterField> = new Set(["popularity", "year", "duration_ms", "mode"]);

export interface Range {
  min?: number;
  max?: number;
}

export interface TrackFilters {
  ranges?: Partial<Record<FilterField, Range>>;
  /** Any of these genre labels (already normalized). */
  genres?: string[];
  /** Any of these artists (normalized with normName). */
  artists?: string[];
  /** Only these tracks. */
  rowids?: number[];
  explicit?: boolean;
}

/** Distribution of a set of tracks' features, for profiles like "what hardstyle sounds like". */
export interface FeatureProfile {
  count: number;
  /** Percentiles 10, 25, 50, 75, 90 of each feature. */
  percentiles: Record<
    "tempo" | "energy" | "valence" | "danceability" | "acousticness" | "loudness" | "duration_ms",
    [number, number, number, number, number]
  >;
}

/** A feature value to get near: "high" wants at least `value`, "low" at most, "near" as close as possible. */
export interface FeatureTarget {
  field: FilterField;
  value: number;
  direction: "high" | "low" | "near";
  /** Distance that counts as one unit of misfit. */
  scale: number;
  weight: number;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface StoredTrack extends Track {
  rowid: number;
  description: string | null;
}

export interface PendingEmbedding {
  rowid: number;
  description: string;
  hash: string;
}

export interface ModelInfo {
  model: string;
  dims: number;
}

export interface StoreStats {
  tracks: number;
  embedded: number;
  artists: number;
  genres: number;
  model: ModelInfo | null;
}

/** The persistence boundary: everything the pipeline and search need, nothing about how it is stored. */
export interface Store {
  readonly path: string;
  modelInfo(): ModelInfo | null;
  /** Records the model and creates the vector table on first use. */
  useModel(info: ModelInfo): void;
  /** Drops all vectors so a different model can rebuild them. */
  resetVectors(info: ModelInfo): void;
  upsertTracks(rows: readonly TrackRow[]): UpsertCounts;
  upsertArtists(rows: readonly ArtistRow[]): UpsertCounts;
  countDirty(): number;
  dirtyTracks(limit: number): StoredTrack[];
  saveDescriptions(
    items: ReadonlyArray<{ rowid: number; genres: string[]; description: string; hash: string }>,
  ): void;
  countPendingEmbeddings(): number;
  pendingEmbeddings(limit: number): PendingEmbedding[];
  saveEmbeddings(items: ReadonlyArray<{ rowid: number; hash: string; vector: Float32Array }>): void;
  knn(vector: Float32Array, k: number, filters: TrackFilters): Array<{ rowid: number; distance: number }>;
  /** Without a query text: tracks passing the filters, most popular first. */
  filterOnly(k: number, filters: TrackFilters): number[];
  /** Tracks passing the filters, closest to these targets first (sum of scaled distances past each target). */
  closestTo(k: number, filters: TrackFilters, targets: readonly FeatureTarget[]): number[];
  getTracks(rowids: readonly number[]): StoredTrack[];
  trackById(id: string): StoredTrack | null;
  /** These tracks and every other version of the same songs (same artists and base title). */
  versionsOf(rowids: readonly number[]): number[];
  /** Saved likes: rowids per profile. */
  likes(profile: string): number[];
  addLikes(profile: string, items: ReadonlyArray<{ rowid: number; entry: string }>): number;
  removeLikes(profile: string, rowids: readonly number[]): number;
  likeProfiles(): Array<{ profile: string; tracks: number }>;
  genreLabels(): string[];
  /** Tracks passing the filters, counted (no vectors needed). */
  countMatching(filters: TrackFilters): number;
  hasYears(): boolean;
  /** Canonical spelling of an artist whose normalized name is given, or null. */
  findArtist(norm: string): string | null;
  /** Normalized artist names starting with a prefix (for fuzzy matching). */
  artistNamesStartingWith(prefix: string, limit: number): string[];
  /** Tracks whose title matches the words (full-text), best matches first. */
  findTitles(title: string, limit: number): StoredTrack[];
  profile(filters: TrackFilters): FeatureProfile | null;
  vectorOf(rowid: number): Float32Array | null;
  conceptVectors(model: string): Map<string, Float32Array>;
  saveConceptVectors(model: string, vectors: ReadonlyMap<string, Float32Array>): void;
  stats(): StoreStats;
  /** Refreshes the query planner's statistics after bulk writes. */
  optimize(): void;
  close(): void;
}

const SCHEMA_VERSION = "1";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tracks (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  album TEXT,
  artists TEXT NOT NULL,
  artist_ids TEXT NOT NULL,
  own_genres TEXT NOT NULL,
  genres TEXT NOT NULL DEFAULT '[]',
  release_date TEXT,
  year INTEGER NOT NULL DEFAULT 0,
  popularity INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  explicit INTEGER NOT NULL,
  danceability REAL NOT NULL,
  energy REAL NOT NULL,
  key INTEGER NOT NULL,
  loudness REAL NOT NULL,
  mode INTEGER NOT NULL,
  speechiness REAL NOT NULL,
  acousticness REAL NOT NULL,
  instrumentalness REAL NOT NULL,
  liveness REAL NOT NULL,
  valence REAL NOT NULL,
  tempo REAL NOT NULL,
  time_signature INTEGER NOT NULL,
  row_json TEXT NOT NULL,
  song_key TEXT,
  dirty INTEGER NOT NULL DEFAULT 1,
  description TEXT,
  desc_hash TEXT,
  embedded_hash TEXT
);
CREATE INDEX IF NOT EXISTS tracks_dirty ON tracks(rowid) WHERE dirty = 1;
CREATE INDEX IF NOT EXISTS tracks_unembedded ON tracks(rowid) WHERE desc_hash IS NOT NULL AND embedded_hash IS NOT desc_hash;
CREATE INDEX IF NOT EXISTS tracks_popularity ON tracks(popularity);
CREATE INDEX IF NOT EXISTS tracks_year ON tracks(year) WHERE year > 0;
CREATE INDEX IF NOT EXISTS tracks_song ON tracks(song_key);
-- Feature indexes: the constraint-fit channel and filter-only listings scan only the tracks in range.
CREATE INDEX IF NOT EXISTS tracks_tempo ON tracks(tempo);
CREATE INDEX IF NOT EXISTS tracks_energy ON tracks(energy);
CREATE INDEX IF NOT EXISTS tracks_valence ON tracks(valence);
CREATE INDEX IF NOT EXISTS tracks_danceability ON tracks(danceability);
CREATE INDEX IF NOT EXISTS tracks_acousticness ON tracks(acousticness);
CREATE INDEX IF NOT EXISTS tracks_instrumentalness ON tracks(instrumentalness);
CREATE INDEX IF NOT EXISTS tracks_duration ON tracks(duration_ms);
CREATE TABLE IF NOT EXISTS track_genres (
  genre TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  PRIMARY KEY (genre, track_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS track_genres_track ON track_genres(track_rowid);
CREATE TABLE IF NOT EXISTS track_artists (
  artist_id TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  PRIMARY KEY (artist_id, track_rowid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS track_artist_names (
  norm TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  PRIMARY KEY (norm, track_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS track_artist_names_track ON track_artist_names(track_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS track_titles USING fts5(name, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS likes (
  profile TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  entry TEXT NOT NULL,
  added_at TEXT NOT NULL DEFAULT (datetime('now')),
  PRIMARY KEY (profile, track_rowid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS concept_vectors (model TEXT NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text));
CREATE TABLE IF NOT EXISTS artists (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  followers INTEGER,
  popularity INTEGER,
  genres TEXT NOT NULL,
  row_json TEXT NOT NULL
);
`;

const TRACK_COLUMNS = `rowid, id, name, album, artists, artist_ids, own_genres, genres, release_date, year, popularity,
  duration_ms, explicit, danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness,
  liveness, valence, tempo, time_signature, description`;

interface TrackDbRow {
  rowid: number;
  id: string;
  name: string;
  album: string | null;
  artists: string;
  artist_ids: string;
  own_genres: string;
  genres: string;
  release_date: string | null;
  year: number;
  popularity: number;
  duration_ms: number;
  explicit: number;
  danceability: number;
  energy: number;
  key: number;
  loudness: number;
  mode: number;
  speechiness: number;
  acousticness: number;
  instrumentalness: number;
  liveness: number;
  valence: number;
  tempo: number;
  time_signature: number;
  description: string | null;
}

function fromDb(r: TrackDbRow): StoredTrack {
  return {
    rowid: r.rowid,
    id: r.id,
    name: r.name,
    album: r.album,
    artists: JSON.parse(r.artists) as string[],
    artistIds: JSON.parse(r.artist_ids) as string[],
    genres: JSON.parse(r.own_genres) as string[],
    allGenres: JSON.parse(r.genres) as string[],
    releaseDate: r.release_date,
    year: r.year || null,
    popularity: r.popularity,
    durationMs: r.duration_ms,
    explicit: r.explicit === 1,
    danceability: r.danceability,
    energy: r.energy,
    key: r.key,
    loudness: r.loudness,
    mode: r.mode,
    speechiness: r.speechiness,
    acousticness: r.acousticness,
    instrumentalness: r.instrumentalness,
    liveness: r.liveness,
    valence: r.valence,
    tempo: r.tempo,
    timeSignature: r.time_signature,
    description: r.description,
  };
}

/** Same id seen again (the 114K file lists a track once per genre): genres are unioned, popularity is the highest seen. */
export function mergeTrackRows(existing: TrackRow, incoming: TrackRow): TrackRow {
  const genres = [...new Set([...existing.genres, ...incoming.genres])].sort();
  return {
    ...incoming,
    album: incoming.album ?? existing.album,
    releaseDate: incoming.releaseDate ?? existing.releaseDate,
    year: incoming.year ?? existing.year,
    artistIds: incoming.artistIds.length > 0 ? incoming.artistIds : existing.artistIds,
    popularity: Math.max(existing.popularity, incoming.popularity),
    genres,
  };
}

function canonicalRow(row: TrackRow): string {
  // Fixed key order, so equal rows give equal text.
  return JSON.stringify([
    row.id,
    row.name,
    row.album,
    row.artists,
    row.artistIds,
    [...row.genres].sort(),
    row.releaseDate,
    row.year,
    row.popularity,
    row.durationMs,
    row.explicit,
    row.danceability,
    row.energy,
    row.key,
    row.loudness,
    row.mode,
    row.speechiness,
    row.acousticness,
    row.instrumentalness,
    row.liveness,
    row.valence,
    row.tempo,
    row.timeSignature,
  ]);
}

function rowFromCanonical(json: string): TrackRow {
  const a = JSON.parse(json) as unknown[];
  const [
    id,
    name,
    album,
    artists,
    artistIds,
    genres,
    releaseDate,
    year,
    popularity,
    durationMs,
    explicit,
    ...f
  ] = a;
  const [
    danceability,
    energy,
    key,
    loudness,
    mode,
    speechiness,
    acousticness,
    instrumentalness,
    liveness,
    valence,
    tempo,
    timeSignature,
  ] = f as number[];
  return {
    id: id as string,
    name: name as string,
    album: album as string | null,
    artists: artists as string[],
    artistIds: artistIds as string[],
    genres: genres as string[],
    releaseDate: releaseDate as string | null,
    year: year as number | null,
    popularity: popularity as number,
    durationMs: durationMs as number,
    explicit: explicit as boolean,
    danceability: danceability as number,
    energy: energy as number,
    key: key as number,
    loudness: loudness as number,
    mode: mode as number,
    speechiness: speechiness as number,
    acousticness: acousticness as number,
    instrumentalness: instrumentalness as number,
    liveness: liveness as number,
    valence: valence as number,
    tempo: tempo as number,
    timeSignature: timeSignature as number,
  };
}

/** Values for the vec0 metadata columns, in FILTER_FIELDS order then explicit; sqlite-vec wants integers as BigInt. */
function metadataValues(t: StoredTrack): unknown[] {
  const values: Record<FilterField, number> = {
    popularity: t.popularity,
    year: t.year ?? 0,
    duration_ms: t.durationMs,
    danceability: t.danceability,
    energy: t.energy,
    loudness: t.loudness,
    mode: t.mode,
    speechiness: t.speechiness,
    acousticness: t.acousticness,
    instrumentalness: t.instrumentalness,
    liveness: t.liveness,
    valence: t.valence,
    tempo: t.tempo,
  };
  return [
    ...FILTER_FIELDS.map((f) => (INTEGER_FIELDS.has(f) ? BigInt(Math.round(values[f])) : values[f])),
    BigInt(t.explicit ? 1 : 0),
  ];
}

/** SQL conditions for filters; column names come from the FILTER_FIELDS whitelist only. */
function filterSql(filters: TrackFilters, rowidColumn: string): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  for (const field of FILTER_FIELDS) {
    const range = filters.ranges?.[field];
    if (!range) continue;
    if (range.min !== undefined) {
      sql.push(`${field} >= ?`);
      params.push(INTEGER_FIELDS.has(field) ? BigInt(Math.ceil(range.min)) : range.min);
    }
    if (range.max !== undefined) {
      sql.push(`${field} <= ?`);
      params.push(INTEGER_FIELDS.has(field) ? BigInt(Math.floor(range.max)) : range.max);
    }
    // Unknown years are stored as 0; a year filter never matches them.
    if (field === "year") sql.push("year > 0");
  }
  if (filters.explicit !== undefined) {
    sql.push("explicit = ?");
    params.push(BigInt(filters.explicit ? 1 : 0));
  }
  // Sets become one rowid list (vec0 takes a single "rowid IN"); an empty list matches nothing, as it should.
  const sets: string[] = [];
  if (filters.genres) {
    sets.push("SELECT track_rowid FROM track_genres WHERE genre IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(filters.genres));
  }
  if (filters.artists) {
    sets.push("SELECT track_rowid FROM track_artist_names WHERE norm IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(filters.artists));
  }
  if (filters.rowids) {
    sets.push("SELECT value FROM json_each(?)");
    params.push(JSON.stringify(filters.rowids));
  }
  if (sets.length > 0) sql.push(`${rowidColumn} IN (${sets.join(" INTERSECT ")})`);
  return { sql, params };
}

export function openStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path);
    sqliteVec.load(db);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    const columns = db.prepare("SELECT name FROM pragma_table_info('tracks')").all() as Array<{
      name: string;
    }>;
    // Databases made before song identities were stored get the column; indexNames fills it below.
    if (columns.length > 0 && !columns.some((c) => c.name === "song_key")) {
      db.exec("ALTER TABLE tracks ADD COLUMN song_key TEXT; DELETE FROM track_artist_names;");
    }
    db.exec(SCHEMA);
  } catch (cause) {
    throw new SpotivecError(
      "DB_ERROR",
      `Cannot open the database at ${path}`,
      {
        expected: "a spotivec SQLite database, or a path where one can be created",
        got: cause instanceof Error ? cause.message : String(cause),
        hint: "Choose another file with --db or SPOTIVEC_DB, or check the directory's permissions.",
      },
      { cause },
    );
  }
  const getMeta = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
  const setMeta = db.prepare(
    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  );
  const version = getMeta.get("schema_version")?.value;
  if (version && version !== SCHEMA_VERSION) {
    throw new SpotivecError("DB_ERROR", `The database at ${path} has schema version ${version}`, {
      expected: `schema version ${SCHEMA_VERSION}`,
      got: `schema version ${version}`,
      hint: "Ingest into a new database file with --db.",
    });
  }
  setMeta.run("schema_version", SCHEMA_VERSION);

  const hasVectorTable = () =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'track_vectors'").get() !== undefined;

  const createVectorTable = (dims: number) => {
    const meta = FILTER_FIELDS.map((f) => `${f} ${INTEGER_FIELDS.has(f) ? "integer" : "float"}`).join(", ");
    db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS track_vectors USING vec0(track_rowid integer primary key, embedding float[${dims}] distance_metric=cosine, ${meta}, explicit boolean)`,
    );
  };

  const modelInfo = (): ModelInfo | null => {
    const model = getMeta.get("model")?.value;
    const dims = getMeta.get("dims")?.value;
    return model && dims ? { model, dims: Number(dims) } : null;
  };

  const selectById = db.prepare<[string], { rowid: number; row_json: string; artist_ids: string }>(
    "SELECT rowid, row_json, artist_ids FROM tracks WHERE id = ?",
  );
  const insertTrack =
    db.prepare(`INSERT INTO tracks (id, name, album, artists, artist_ids, own_genres, release_date, year,
    popularity, duration_ms, explicit, danceability, energy, key, loudness, mode, speechiness, acousticness,
    instrumentalness, liveness, valence, tempo, time_signature, row_json, dirty)
    VALUES (@id, @name, @album, @artists, @artist_ids, @own_genres, @release_date, @year, @popularity, @duration_ms,
    @explicit, @danceability, @energy, @key, @loudness, @mode, @speechiness, @acousticness, @instrumentalness,
    @liveness, @valence, @tempo, @time_signature, @row_json, 1)`);
  const updateTrack =
    db.prepare(`UPDATE tracks SET name=@name, album=@album, artists=@artists, artist_ids=@artist_ids,
    own_genres=@own_genres, release_date=@release_date, year=@year, popularity=@popularity, duration_ms=@duration_ms,
    explicit=@explicit, danceability=@danceability, energy=@energy, key=@key, loudness=@loudness, mode=@mode,
    speechiness=@speechiness, acousticness=@acousticness, instrumentalness=@instrumentalness, liveness=@liveness,
    valence=@valence, tempo=@tempo, time_signature=@time_signature, row_json=@row_json, dirty=1 WHERE id=@id`);
  const linkArtist = db.prepare("INSERT OR IGNORE INTO track_artists(artist_id, track_rowid) VALUES (?, ?)");

  const trackParams = (r: TrackRow) => ({
    id: r.id,
    name: r.name,
    album: r.album,
    artists: JSON.stringify(r.artists),
    artist_ids: JSON.stringify(r.artistIds),
    own_genres: JSON.stringify(r.genres),
    release_date: r.releaseDate,
    year: r.year ?? 0,
    popularity: r.popularity,
    duration_ms: Math.round(r.durationMs),
    explicit: r.explicit ? 1 : 0,
    danceability: r.danceability,
    energy: r.energy,
    key: r.key,
    loudness: r.loudness,
    mode: r.mode,
    speechiness: r.speechiness,
    acousticness: r.acousticness,
    instrumentalness: r.instrumentalness,
    liveness: r.liveness,
    valence: r.valence,
    tempo: r.tempo,
    time_signature: r.timeSignature,
    row_json: canonicalRow(r),
  });

  const upsertTracks = db.transaction((rows: readonly TrackRow[]): UpsertCounts => {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const incoming of rows) {
      const existing = selectById.get(incoming.id);
      let rowid: number;
      if (!existing) {
        const merged = { ...incoming, genres: [...new Set(incoming.genres)].sort() };
        rowid = Number(insertTrack.run(trackParams(merged)).lastInsertRowid);
        counts.inserted++;
      } else {
        rowid = existing.rowid;
        const merged = mergeTrackRows(rowFromCanonical(existing.row_json), incoming);
        const params = trackParams(merged);
        if (params.row_json === existing.row_json) {
          counts.unchanged++;
          continue;
        }
        updateTrack.run(params);
        counts.updated++;
      }
      for (const artistId of incoming.artistIds) linkArtist.run(artistId, BigInt(rowid));
    }
    return counts;
  });

  const selectArtist = db.prepare<[string], { row_json: string }>(
    "SELECT row_json FROM artists WHERE id = ?",
  );
  const upsertArtist = db.prepare(`INSERT INTO artists(id, name, followers, popularity, genres, row_json)
    VALUES (@id, @name, @followers, @popularity, @genres, @row_json)
    ON CONFLICT(id) DO UPDATE SET name=excluded.name, followers=excluded.followers, popularity=excluded.popularity,
    genres=excluded.genres, row_json=excluded.row_json`);
  const markArtistTracksDirty = db.prepare(
    "UPDATE tracks SET dirty = 1 WHERE rowid IN (SELECT track_rowid FROM track_artists WHERE artist_id = ?)",
  );

  const upsertArtists = db.transaction((rows: readonly ArtistRow[]): UpsertCounts => {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const a of rows) {
      const rowJson = JSON.stringify([a.id, a.name, a.followers, a.popularity, a.genres]);
      const existing = selectArtist.get(a.id);
      if (existing?.row_json === rowJson) {
        counts.unchanged++;
        continue;
      }
      upsertArtist.run({
        id: a.id,
        name: a.name,
        followers: a.followers,
        popularity: a.popularity,
        genres: JSON.stringify(a.genres),
        row_json: rowJson,
      });
      // Tracks already ingested pick up this artist's genres at the next describe pass.
      markArtistTracksDirty.run(a.id);
      if (existing) counts.updated++;
      else counts.inserted++;
    }
    return counts;
  });

  const selectDirty = db.prepare<[number], TrackDbRow>(
    `SELECT ${TRACK_COLUMNS} FROM tracks WHERE dirty = 1 ORDER BY rowid LIMIT ?`,
  );
  const artistGenres = db.prepare<[string], { genres: string }>("SELECT genres FROM artists WHERE id = ?");
  const deleteGenres = db.prepare("DELETE FROM track_genres WHERE track_rowid = ?");
  const insertGenre = db.prepare("INSERT OR IGNORE INTO track_genres(genre, track_rowid) VALUES (?, ?)");
  const saveDescription = db.prepare(
    "UPDATE tracks SET genres = ?, description = ?, desc_hash = ?, dirty = 0 WHERE rowid = ?",
  );
  const deleteArtistNames = db.prepare("DELETE FROM track_artist_names WHERE track_rowid = ?");
  const insertArtistName = db.prepare(
    "INSERT OR IGNORE INTO track_artist_names(norm, track_rowid) VALUES (?, ?)",
  );
  const deleteTitle = db.prepare("DELETE FROM track_titles WHERE rowid = ?");
  const insertTitle = db.prepare("INSERT INTO track_titles(rowid, name) VALUES (?, ?)");
  const selectNames = db.prepare<[bigint], { name: string; artists: string }>(
    "SELECT name, artists FROM tracks WHERE rowid = ?",
  );
  const setSongKey = db.prepare("UPDATE tracks SET song_key = ? WHERE rowid = ?");

  /** Name lookups (artist names, title search) follow the track's current fields. */
  const indexNames = (rowid: bigint) => {
    const row = selectNames.get(rowid);
    deleteArtistNames.run(rowid);
    deleteTitle.run(rowid);
    if (!row) return;
    const artists = JSON.parse(row.artists) as string[];
    for (const artist of artists) insertArtistName.run(normName(artist), rowid);
    insertTitle.run(rowid, row.name);
    setSongKey.run(songKey(artists, row.name), rowid);
  };

  const dirtyTracks = (limit: number): StoredTrack[] =>
    selectDirty.all(limit).map((r) => {
      const t = fromDb(r);
      const fromArtists = t.artistIds.flatMap((id) => {
        const row = artistGenres.get(id);
        return row ? (JSON.parse(row.genres) as string[]) : [];
      });
      // Own labels first: they are the most specific.
      t.allGenres = [...new Set([...t.genres, ...fromArtists])];
      return t;
    });

  const saveDescriptions = db.transaction(
    (items: ReadonlyArray<{ rowid: number; genres: string[]; description: string; hash: string }>) => {
      for (const item of items) {
        const rowid = BigInt(item.rowid);
        deleteGenres.run(rowid);
        for (const g of item.genres) insertGenre.run(g, rowid);
        saveDescription.run(JSON.stringify(item.genres), item.description, item.hash, rowid);
        indexNames(rowid);
        // Features may have changed without the description changing: keep the filter columns current.
        const t = vectorMetaUpdate ? selectForVector.get(rowid) : undefined;
        if (vectorMetaUpdate && t && t.embedded_hash !== null)
          vectorMetaUpdate.run(...metadataValues(fromDb(t)), rowid);
      }
    },
  );

  let vectorMetaUpdate: Database.Statement | null = null;
  let vectorInsert: Database.Statement | null = null;
  let vectorUpdate: Database.Statement | null = null;
  const prepareVectorStatements = () => {
    if (!hasVectorTable()) return;
    const cols = [...FILTER_FIELDS, "explicit"];
    vectorMetaUpdate = db.prepare(
      `UPDATE track_vectors SET ${cols.map((c) => `${c} = ?`).join(", ")} WHERE track_rowid = ?`,
    );
    vectorInsert = db.prepare(
      `INSERT INTO track_vectors(embedding, ${cols.join(", ")}, track_rowid) VALUES (?, ${cols.map(() => "?").join(", ")}, ?)`,
    );
    vectorUpdate = db.prepare(
      `UPDATE track_vectors SET embedding = ?, ${cols.map((c) => `${c} = ?`).join(", ")} WHERE track_rowid = ?`,
    );
  };
  prepareVectorStatements();

  const useModel = (info: ModelInfo) => {
    const current = modelInfo();
    if (current && (current.model !== info.model || current.dims !== info.dims)) {
      throw mismatchError(path, current, info);
    }
    if (!current) {
      db.transaction(() => {
        setMeta.run("model", info.model);
        setMeta.run("dims", String(info.dims));
        createVectorTable(info.dims);
      })();
      prepareVectorStatements();
    }
  };

  const resetVectors = (info: ModelInfo) => {
    db.transaction(() => {
      db.exec("DROP TABLE IF EXISTS track_vectors");
      db.exec("UPDATE tracks SET embedded_hash = NULL");
      setMeta.run("model", info.model);
      setMeta.run("dims", String(info.dims));
      createVectorTable(info.dims);
    })();
    prepareVectorStatements();
  };

  const selectPending = db.prepare<[number], { rowid: number; description: string; desc_hash: string }>(
    "SELECT rowid, description, desc_hash FROM tracks WHERE desc_hash IS NOT NULL AND embedded_hash IS NOT desc_hash ORDER BY rowid LIMIT ?",
  );
  const countPending = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM tracks WHERE desc_hash IS NOT NULL AND embedded_hash IS NOT desc_hash",
  );
  const selectForVector = db.prepare<[bigint], TrackDbRow & { embedded_hash: string | null }>(
    `SELECT ${TRACK_COLUMNS}, embedded_hash FROM tracks WHERE rowid = ?`,
  );
  const markEmbedded = db.prepare("UPDATE tracks SET embedded_hash = ? WHERE rowid = ?");

  const saveEmbeddings = db.transaction(
    (items: ReadonlyArray<{ rowid: number; hash: string; vector: Float32Array }>) => {
      if (!vectorInsert || !vectorUpdate) throw new Error("saveEmbeddings before useModel");
      for (const item of items) {
        const rowid = BigInt(item.rowid);
        const row = selectForVector.get(rowid);
        if (!row) continue;
        const meta = metadataValues(fromDb(row));
        if (row.embedded_hash === null) vectorInsert.run(item.vector, ...meta, rowid);
        else vectorUpdate.run(item.vector, ...meta, rowid);
        markEmbedded.run(item.hash, rowid);
      }
    },
  );

  const knn = (vector: Float32Array, k: number, filters: TrackFilters) => {
    const current = modelInfo();
    if (!current || !hasVectorTable()) return [];
    if (vector.length !== current.dims) {
      throw mismatchError(path, current, { model: "the query embedder", dims: vector.length });
    }
    const f = filterSql(filters, "track_rowid");
    const where = ["embedding MATCH ?", "k = ?", ...f.sql].join(" AND ");
    return db
      .prepare<unknown[], { track_rowid: number; distance: number }>(
        `SELECT track_rowid, distance FROM track_vectors WHERE ${where} ORDER BY distance`,
      )
      .all(vector, BigInt(Math.min(k, 4096)), ...f.params)
      .map((r) => ({ rowid: r.track_rowid, distance: r.distance }));
  };

  const filterOnly = (k: number, filters: TrackFilters) => {
    const f = filterSql(filters, "rowid");
    const where = f.sql.length > 0 ? `WHERE ${f.sql.join(" AND ")}` : "";
    return db
      .prepare<unknown[], { rowid: number }>(
        `SELECT rowid FROM tracks ${where} ORDER BY popularity DESC, rowid LIMIT ?`,
      )
      .all(...f.params, BigInt(k))
      .map((r) => r.rowid);
  };

  const selectByTrackId = db.prepare<[string], { rowid: number }>("SELECT rowid FROM tracks WHERE id = ?");
  const trackById = (id: string) => {
    const row = selectByTrackId.get(id);
    return row ? (getTracks([row.rowid])[0] ?? null) : null;
  };
  const insertLike = db.prepare("INSERT OR IGNORE INTO likes(profile, track_rowid, entry) VALUES (?, ?, ?)");
  const addLikes = db.transaction((profile: string, items: ReadonlyArray<{ rowid: number; entry: string }>) =>
    items.reduce((n, i) => n + insertLike.run(profile, BigInt(i.rowid), i.entry).changes, 0),
  );
  const deleteLike = db.prepare("DELETE FROM likes WHERE profile = ? AND track_rowid = ?");
  const removeLikes = db.transaction((profile: string, rowids: readonly number[]) =>
    rowids.reduce((n, r) => n + deleteLike.run(profile, BigInt(r)).changes, 0),
  );

  const closestTo = (k: number, filters: TrackFilters, targets: readonly FeatureTarget[]) => {
    const f = filterSql(filters, "rowid");
    const where = f.sql.length > 0 ? `WHERE ${f.sql.join(" AND ")}` : "";
    // Field names come from the FILTER_FIELDS whitelist and numbers are formatted here, so the expression is safe.
    const terms = targets
      .filter((t) => (FILTER_FIELDS as readonly string[]).includes(t.field) && Number.isFinite(t.value))
      .map((t) => {
        const v = Number(t.value);
        const diff =
          t.direction === "high"
            ? `MAX(0, ${v} - ${t.field})`
            : t.direction === "low"
              ? `MAX(0, ${t.field} - ${v})`
              : `ABS(${t.field} - ${v})`;
        return `${Number(t.weight)} * ${diff} / ${Number(t.scale)}`;
      });
    if (terms.length === 0) return filterOnly(k, filters);
    return db
      .prepare<unknown[], { rowid: number }>(
        `SELECT rowid FROM tracks ${where} ORDER BY ${terms.join(" + ")}, popularity DESC LIMIT ?`,
      )
      .all(...f.params, BigInt(k))
      .map((r) => r.rowid);
  };

  const getTracks = (rowids: readonly number[]) => {
    if (rowids.length === 0) return [];
    const rows = db
      .prepare<[string], TrackDbRow>(
        `SELECT ${TRACK_COLUMNS} FROM tracks WHERE rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(rowids));
    const byId = new Map(rows.map((r) => [r.rowid, fromDb(r)]));
    return rowids.flatMap((id) => byId.get(id) ?? []);
  };

  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

  // Databases described before the name indexes existed get them once.
  if (
    count("SELECT count(*) AS n FROM track_artist_names") === 0 &&
    count("SELECT count(*) AS n FROM tracks WHERE desc_hash IS NOT NULL") > 0
  ) {
    db.transaction(() => {
      for (const r of db.prepare("SELECT rowid FROM tracks").all() as Array<{ rowid: number }>)
        indexNames(BigInt(r.rowid));
    })();
  }

  const countMatching = (filters: TrackFilters) => {
    const f = filterSql(filters, "rowid");
    const where = f.sql.length > 0 ? `WHERE ${f.sql.join(" AND ")}` : "";
    return (db.prepare(`SELECT count(*) AS n FROM tracks ${where}`).get(...f.params) as { n: number }).n;
  };

  const artistByNorm = db.prepare<[string], { artists: string }>(
    "SELECT t.artists FROM track_artist_names a JOIN tracks t ON t.rowid = a.track_rowid WHERE a.norm = ? ORDER BY t.popularity DESC LIMIT 1",
  );
  const findArtist = (norm: string): string | null => {
    const row = artistByNorm.get(norm);
    if (!row) return null;
    return (JSON.parse(row.artists) as string[]).find((a) => normName(a) === norm) ?? null;
  };

  const titleSearch = db.prepare<[string, bigint], { rowid: number }>(
    "SELECT rowid FROM track_titles WHERE track_titles MATCH ? ORDER BY rank LIMIT ?",
  );
  const findTitles = (title: string, limit: number): StoredTrack[] => {
    const words = normName(title).split(" ").filter(Boolean);
    if (words.length === 0) return [];
    // Every word must appear; quoting keeps FTS5 syntax characters literal.
    const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(" ");
    return getTracks(titleSearch.all(match, BigInt(limit)).map((r) => r.rowid));
  };

  const PROFILE_FIELDS = [
    "tempo",
    "energy",
    "valence",
    "danceability",
    "acousticness",
    "loudness",
    "duration_ms",
  ] as const;
  const profile = (filters: TrackFilters): FeatureProfile | null => {
    const f = filterSql(filters, "rowid");
    const where = f.sql.length > 0 ? `WHERE ${f.sql.join(" AND ")}` : "";
    const rows = db
      .prepare(`SELECT ${PROFILE_FIELDS.join(", ")} FROM tracks ${where} LIMIT 20000`)
      .all(...f.params) as Array<Record<(typeof PROFILE_FIELDS)[number], number>>;
    if (rows.length === 0) return null;
    const pct = (field: (typeof PROFILE_FIELDS)[number]) => {
      const v = rows.map((r) => r[field]).sort((a, b) => a - b);
      const at = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))] as number;
      return [at(0.1), at(0.25), at(0.5), at(0.75), at(0.9)] as [number, number, number, number, number];
    };
    return {
      count: rows.length,
      percentiles: Object.fromEntries(
        PROFILE_FIELDS.map((k) => [k, pct(k)]),
      ) as FeatureProfile["percentiles"],
    };
  };

  let selectVector: Database.Statement<[bigint], { embedding: Buffer }> | null = null;
  const vectorOf = (rowid: number): Float32Array | null => {
    if (!selectVector) {
      if (!hasVectorTable()) return null;
      selectVector = db.prepare("SELECT embedding FROM track_vectors WHERE track_rowid = ?");
    }
    const row = selectVector.get(BigInt(rowid));
    return row
      ? new Float32Array(
          row.embedding.buffer.slice(
            row.embedding.byteOffset,
            row.embedding.byteOffset + row.embedding.byteLength,
          ),
        )
      : null;
  };

  const conceptVectors = (model: string) => {
    const rows = db.prepare("SELECT text, vector FROM concept_vectors WHERE model = ?").all(model) as Array<{
      text: string;
      vector: Buffer;
    }>;
    return new Map(
      rows.map((r) => [
        r.text,
        new Float32Array(
          r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength),
        ),
      ]),
    );
  };
  const saveConceptVectors = (model: string, vectors: ReadonlyMap<string, Float32Array>) => {
    const insert = db.prepare("INSERT OR REPLACE INTO concept_vectors(model, text, vector) VALUES (?, ?, ?)");
    db.transaction(() => {
      for (const [text, v] of vectors)
        insert.run(model, text, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    })();
  };

  return {
    path,
    modelInfo,
    useModel,
    resetVectors,
    upsertTracks: (rows) => upsertTracks(rows),
    upsertArtists: (rows) => upsertArtists(rows),
    countDirty: () => count("SELECT count(*) AS n FROM tracks WHERE dirty = 1"),
    dirtyTracks,
    saveDescriptions: (items) => saveDescriptions(items),
    countPendingEmbeddings: () => countPending.get()?.n ?? 0,
    pendingEmbeddings: (limit) =>
      selectPending
        .all(limit)
        .map((r) => ({ rowid: r.rowid, description: r.description, hash: r.desc_hash })),
    saveEmbeddings: (items) => saveEmbeddings(items),
    knn,
    filterOnly,
    closestTo,
    getTracks,
    trackById,
    versionsOf: (rowids) =>
      (
        db
          .prepare(
            "SELECT rowid FROM tracks WHERE song_key IN (SELECT song_key FROM tracks WHERE rowid IN (SELECT value FROM json_each(?))) UNION SELECT value FROM json_each(?)",
          )
          .all(JSON.stringify(rowids), JSON.stringify(rowids)) as Array<{ rowid: number }>
      ).map((r) => r.rowid),
    likes: (profile) =>
      (
        db
          .prepare("SELECT track_rowid FROM likes WHERE profile = ? ORDER BY added_at, track_rowid")
          .all(profile) as Array<{ track_rowid: number }>
      ).map((r) => r.track_rowid),
    addLikes: (profile, items) => addLikes(profile, items),
    removeLikes: (profile, rowids) => removeLikes(profile, rowids),
    likeProfiles: () =>
      db
        .prepare("SELECT profile, count(*) AS tracks FROM likes GROUP BY profile ORDER BY profile")
        .all() as Array<{ profile: string; tracks: number }>,
    countMatching,
    hasYears: () => db.prepare("SELECT 1 FROM tracks WHERE year > 0 LIMIT 1").get() !== undefined,
    findArtist,
    artistNamesStartingWith: (prefix, limit) =>
      (
        db
          .prepare("SELECT DISTINCT norm FROM track_artist_names WHERE norm >= ? AND norm < ? LIMIT ?")
          .all(prefix, `${prefix}\uffff`, BigInt(limit)) as Array<{ norm: string }>
      ).map((r) => r.norm),
    findTitles,
    profile,
    vectorOf,
    conceptVectors,
    saveConceptVectors,
    genreLabels: () =>
      (
        db.prepare("SELECT DISTINCT genre FROM track_genres ORDER BY genre").all() as Array<{ genre: string }>
      ).map((r) => r.genre),
    stats: () => ({
      tracks: count("SELECT count(*) AS n FROM tracks"),
      embedded: count("SELECT count(*) AS n FROM tracks WHERE embedded_hash IS NOT NULL"),
      artists: count("SELECT count(*) AS n FROM artists"),
      genres: count("SELECT count(DISTINCT genre) AS n FROM track_genres"),
      model: modelInfo(),
    }),
    optimize: () => {
      db.exec("ANALYZE");
    },
    close: () => db.close(),
  };
}

export function mismatchError(path: string, stored: ModelInfo, asked: ModelInfo): SpotivecError {
  return new SpotivecError(
    "MODEL_MISMATCH",
    `The database at ${path} was built with another embedding model`,
    {
      expected: `${stored.model} (${stored.dims} dimensions), the model that built this database`,
      got: `${asked.model} (${asked.dims} dimensions)`,
      hint: `Search with --model ${stored.model}, or rebuild the vectors with \`spotivec ingest --model ${asked.model} --reembed\`.`,
    },
  );
}
