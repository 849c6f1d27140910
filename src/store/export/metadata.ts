/**
 * What an exported vector carries besides its values: the track's identity, genres and every feature of the field
 * table, and for Cloudflare Vectorize the properties to index (at most 10 per index).
 *
 * Vectorize limits (https://developers.cloudflare.com/vectorize/platform/limits/): 10 metadata indexes per index,
 * 10 KiB of metadata per vector, 64-byte ids, 1536 dimensions; metadata keys may not be empty, contain "." or '"',
 * or start with "$" (https://developers.cloudflare.com/vectorize/best-practices/insert-vectors/).
 */
import { FIELDS, fieldValue, RANGE_FLAGS } from "../../domain/fields.js";
import type { StoredTrack } from "../types.js";

export type MetadataValue = string | number | boolean | string[];

export interface IndexedProperty {
  name: string;
  type: "string" | "number" | "boolean";
}

/** Vectorize's limit on metadata indexes per index. */
export const MAX_METADATA_INDEXES = 10;

/**
 * The properties to index: exactly the filters `spotivec search` offers as options, so a Worker can apply the same
 * hard filters inside the query: the first genre (--genre), explicit (--explicit/--no-explicit) and every range
 * flag of the field table (popularity, danceability, energy, acousticness, instrumentalness, valence, tempo, year).
 */
export const VECTORIZE_INDEXED: readonly IndexedProperty[] = [
  { name: "genre", type: "string" },
  ...FIELDS.filter((f) => f.type === "boolean" && f.filter).map((f) => ({
    name: f.name,
    type: "boolean" as const,
  })),
  ...RANGE_FLAGS.map((f) => ({ name: f.name, type: "number" as const })),
];

if (VECTORIZE_INDEXED.length > MAX_METADATA_INDEXES) {
  throw new Error(`${VECTORIZE_INDEXED.length} metadata indexes: Vectorize allows ${MAX_METADATA_INDEXES}`);
}

/** Long names and lists are cut so one vector's metadata stays well under 10 KiB. */
const MAX_TEXT = 256;
const MAX_LIST = 20;
const cut = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);

/**
 * A track's metadata: name, artists, album, genre (its first genre, indexed), genres (all of them), and every field
 * of the field table by its snake_case name (explicit as a boolean; an unknown year is left out, as Vectorize
 * metadata has no null).
 */
export function trackMetadata(track: StoredTrack): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {
    name: cut(track.name),
    artists: track.artists.slice(0, MAX_LIST).map(cut),
  };
  if (track.album) out.album = cut(track.album);
  out.genre = track.allGenres[0] ?? "";
  out.genres = track.allGenres.slice(0, MAX_LIST).map(cut);
  for (const f of FIELDS) {
    if (f.name === "year" && track.year === null) continue;
    const v = fieldValue(track, f.name);
    out[f.name] = f.type === "boolean" ? v === 1 : v;
  }
  return out;
}
