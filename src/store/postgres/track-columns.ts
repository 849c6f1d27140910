/**
 * Track rows as the PostgreSQL store reads and writes them: the SQLite store's columns and values (track-rows.ts),
 * written as a JSON array of records (one statement per batch) and read back by the same fromDb.
 */
import { STORED_FIELDS, trackColumnsSql } from "../sqlite/track-rows.js";
import { columnType } from "./schema.js";

/** The columns every StoredTrack is read from (LLM tags are SQLite-only: none here). */
export const PG_TRACK_COLUMNS = trackColumnsSql("NULL::text");

/** The columns a CSV row writes, with their types for jsonb_to_recordset. */
const WRITTEN: ReadonlyArray<[string, string]> = [
  ["id", "text"],
  ["name", "text"],
  ["album", "text"],
  ["artists", "text"],
  ["artist_ids", "text"],
  ["own_genres", "text"],
  ["release_date", "text"],
  ...STORED_FIELDS.map((f): [string, string] => [f.name, columnType(f)]),
  ["row_json", "text"],
];

const NAMES = WRITTEN.map(([c]) => c).join(", ");

/**
 * One statement that inserts the rows ($1: a JSON array of trackParams records) or updates those whose id exists,
 * marking each dirty; returns each row's rowid and id.
 */
export const UPSERT_TRACKS_SQL = `INSERT INTO tracks (${NAMES}, dirty)
  SELECT ${NAMES}, true FROM jsonb_to_recordset($1::jsonb) AS x(${WRITTEN.map(([c, t]) => `${c} ${t}`).join(", ")})
  ON CONFLICT (id) DO UPDATE SET ${WRITTEN.filter(([c]) => c !== "id")
    .map(([c]) => `${c} = excluded.${c}`)
    .join(", ")}, dirty = true
  RETURNING rowid, id`;
