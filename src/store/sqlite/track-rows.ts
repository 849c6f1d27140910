/**
 * Track rows <-> the tracks table and the vec0 metadata columns, generated from the field table.
 */
import { FIELDS, type FieldName, type FieldSpec, fieldValue } from "../../domain/fields.js";
import type { TrackRow } from "../../domain/track.js";
import type { StoredTrack } from "../types.js";

/** The features in stored order: year (it comes from release_date) first, then the CSV features in CSV order. */
export const STORED_FIELDS: readonly FieldSpec[] = [
  ...FIELDS.filter((f) => !f.fromCsv),
  ...FIELDS.filter((f) => f.fromCsv),
];

/** Fields not read from the CSV (the year) may be unknown: null on a track, 0 in the table. */
export function unknownIsZero(f: FieldSpec): boolean {
  return !f.fromCsv;
}

/** `year INTEGER NOT NULL DEFAULT 0, popularity INTEGER NOT NULL, ...`: the feature columns of the tracks table. */
export const FEATURE_COLUMNS_SQL = STORED_FIELDS.map(
  (f) =>
    `${f.name} ${f.type === "real" ? "REAL" : "INTEGER"} NOT NULL${unknownIsZero(f) ? " DEFAULT 0" : ""}`,
).join(",\n  ");

/** Index names older databases already carry; a new name would give them a second index on the column. */
const INDEX_NAMES: Partial<Record<FieldName, string>> = { duration_ms: "tracks_duration" };

/** B-tree indexes on the `indexed` fields. */
export const FEATURE_INDEXES_SQL = FIELDS.filter((f) => "indexed" in f && f.indexed)
  .map((f) => `CREATE INDEX IF NOT EXISTS ${INDEX_NAMES[f.name] ?? `tracks_${f.name}`} ON tracks(${f.name});`)
  .join("\n");

/** The columns every StoredTrack is read from, `llmTags` the SQL of its llm_tags column (JSON text or NULL). */
export function trackColumnsSql(llmTags: string): string {
  return [
    "rowid, id, name, album, artists, artist_ids, own_genres, genres, release_date",
    ...STORED_FIELDS.map((f) => f.name),
    "description",
    `${llmTags} AS llm_tags`,
  ].join(", ");
}

// The LLM tags the track has (m006), as { model, tags }, or null.
export const TRACK_COLUMNS = trackColumnsSql(
  "(SELECT json_object('model', model, 'tags', json(tags_json)) FROM track_llm_tags WHERE track_rowid = tracks.rowid)",
);

export type TrackDbRow = {
  rowid: number;
  id: string;
  name: string;
  album: string | null;
  artists: string;
  artist_ids: string;
  own_genres: string;
  genres: string;
  release_date: string | null;
  description: string | null;
  llm_tags: string | null;
} & { [F in FieldName]: number };

export function fromDb(r: TrackDbRow): StoredTrack {
  const track: Record<string, unknown> = {
    rowid: r.rowid,
    id: r.id,
    name: r.name,
    album: r.album,
    artists: JSON.parse(r.artists) as string[],
    artistIds: JSON.parse(r.artist_ids) as string[],
    genres: JSON.parse(r.own_genres) as string[],
    allGenres: JSON.parse(r.genres) as string[],
    releaseDate: r.release_date,
  };
  for (const f of STORED_FIELDS) {
    const v = r[f.name as FieldName];
    track[f.prop] = f.type === "boolean" ? v === 1 : unknownIsZero(f) ? v || null : v;
  }
  track.description = r.description;
  if (r.llm_tags) track.llmTags = JSON.parse(r.llm_tags);
  return track as unknown as StoredTrack;
}

/** The value a column stores: booleans as 0/1, unknown as 0, integers rounded. */
function storedValue(f: FieldSpec, v: number | boolean | null): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === null) return 0;
  return f.type === "integer" ? Math.round(v) : v;
}

/** Fixed key order, so equal rows give equal text; existing databases compare against this exact text. */
export function canonicalRow(row: TrackRow): string {
  const values = row as unknown as Record<string, unknown>;
  return JSON.stringify([
    row.id,
    row.name,
    row.album,
    row.artists,
    row.artistIds,
    [...row.genres].sort(),
    row.releaseDate,
    ...STORED_FIELDS.map((f) => values[f.prop]),
  ]);
}

export function rowFromCanonical(json: string): TrackRow {
  const [id, name, album, artists, artistIds, genres, releaseDate, ...features] = JSON.parse(
    json,
  ) as unknown[];
  const row: Record<string, unknown> = { id, name, album, artists, artistIds, genres, releaseDate };
  STORED_FIELDS.forEach((f, i) => {
    row[f.prop] = features[i];
  });
  return row as unknown as TrackRow;
}

/** Named parameters for INSERT_TRACK_SQL and UPDATE_TRACK_SQL. */
export function trackParams(r: TrackRow): Record<string, string | number | null> {
  const values = r as unknown as Record<string, number | boolean | null>;
  const params: Record<string, string | number | null> = {
    id: r.id,
    name: r.name,
    album: r.album,
    artists: JSON.stringify(r.artists),
    artist_ids: JSON.stringify(r.artistIds),
    own_genres: JSON.stringify(r.genres),
    release_date: r.releaseDate,
  };
  for (const f of STORED_FIELDS) params[f.name] = storedValue(f, values[f.prop] ?? null);
  params.row_json = canonicalRow(r);
  return params;
}

const WRITTEN_COLUMNS = [
  "name",
  "album",
  "artists",
  "artist_ids",
  "own_genres",
  "release_date",
  ...STORED_FIELDS.map((f) => f.name),
  "row_json",
];

export const INSERT_TRACK_SQL = `INSERT INTO tracks (id, ${WRITTEN_COLUMNS.join(", ")}, dirty)
  VALUES (@id, ${WRITTEN_COLUMNS.map((c) => `@${c}`).join(", ")}, 1)`;

export const UPDATE_TRACK_SQL = `UPDATE tracks SET ${WRITTEN_COLUMNS.map((c) => `${c}=@${c}`).join(", ")},
  dirty=1 WHERE id=@id`;

/**
 * Filter fields made filterable after the vec0 table's columns were fixed: existing databases' vec0 tables lack
 * them (adding a column would mean rebuilding every vector), so a KNN filters on them with a rowid subquery on the
 * tracks table instead (see filters.ts). Keep every later filter field here too.
 */
export const SQL_ONLY_FILTERS: ReadonlySet<string> = new Set<FieldName>(["key", "time_signature"]);

/** The vec0 metadata columns: every filter field but the SQL-only ones, so filters run inside the KNN. */
export const VECTOR_FIELDS: readonly FieldSpec[] = FIELDS.filter(
  (f) => f.filter && !SQL_ONLY_FILTERS.has(f.name),
);

/** `popularity integer, ..., explicit boolean`, for the vec0 table definition. */
export const VECTOR_COLUMNS_SQL = VECTOR_FIELDS.map(
  (f) => `${f.name} ${f.type === "real" ? "float" : f.type}`,
).join(", ");

/** Values for VECTOR_FIELDS, in order; sqlite-vec wants integers and booleans as BigInt. */
export function vectorMetadata(t: StoredTrack): Array<number | bigint> {
  return VECTOR_FIELDS.map((f) => {
    const v = fieldValue(t, f.name as FieldName);
    return f.type === "real" ? v : BigInt(Math.round(v));
  });
}
