import { CSV_NUMERIC_FIELDS } from "../domain/fields.js";
import type { ArtistRow, AudioFeatures, TrackRow } from "../domain/track.js";
import type { ColumnIndex, LayoutName } from "./layouts.js";

export type Normalized<T> = { ok: true; value: T } | { ok: false; reason: string };

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

/**
 * Parses a Python list literal of strings as written by pandas, e.g. `['Uli']`, `["Guns N' Roses", 'Slash']`,
 * `['Tyler, The Creator']`. Returns null when the text is not such a list.
 */
export function parsePythonList(text: string): string[] | null {
  const s = text.trim();
  if (!s.startsWith("[") || !s.endsWith("]")) return null;
  const out: string[] = [];
  let i = 1;
  const end = s.length - 1;
  const skipSpace = () => {
    while (i < end && /\s/.test(s[i] as string)) i++;
  };
  skipSpace();
  while (i < end) {
    const quote = s[i];
    if (quote !== "'" && quote !== '"') return null;
    i++;
    let value = "";
    let closed = false;
    while (i < end) {
      const c = s[i] as string;
      if (c === "\\" && i + 1 < end) {
        const n = s[i + 1] as string;
        value += n === "n" ? "\n" : n === "t" ? "\t" : n;
        i += 2;
        continue;
      }
      if (c === quote) {
        closed = true;
        i++;
        break;
      }
      value += c;
      i++;
    }
    if (!closed) return null;
    out.push(value);
    skipSpace();
    if (i < end) {
      if (s[i] !== ",") return null;
      i++;
      skipSpace();
    }
  }
  return out;
}

/** Year from "1999", "1999-05" or "1999-05-17"; null when absent, not a plausible year, or not a real date. */
export function releaseYear(date: string): number | null {
  const checked = checkReleaseDate(date);
  return "year" in checked ? checked.year : null;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * A release date as its year, or what is wrong with it: the shape (YYYY, YYYY-MM or YYYY-MM-DD), a year outside
 * 1900..2100, a month outside 1..12, or a day the month does not have ("1999-13-45", "2001-02-29").
 */
export function checkReleaseDate(date: string): { year: number } | { problem: string } {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date.trim());
  if (!m) return { problem: "not YYYY, YYYY-MM or YYYY-MM-DD" };
  const year = Number(m[1]);
  if (year < 1900 || year > 2100) return { problem: `year ${year} is outside 1900..2100` };
  if (m[2] === undefined) return { year };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return { problem: `there is no month ${m[2]}` };
  if (m[3] === undefined) return { year };
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] as number);
  if (day < 1 || day > days) return { problem: `month ${m[2]} of ${year} has no day ${m[3]}` };
  return { year };
}

/** Valid ranges come from the field table: wide enough for every real row in the public datasets (tempo 0 and
 * key -1 mean "unknown"). */
export const FEATURE_RANGES: ReadonlyMap<keyof AudioFeatures, { min: number; max: number }> = new Map(
  CSV_NUMERIC_FIELDS.map((f) => [f.prop as keyof AudioFeatures, { min: f.min, max: f.max }]),
);

class RowReader {
  constructor(
    private readonly fields: readonly string[],
    private readonly columns: ColumnIndex,
  ) {}

  text(column: string): string {
    const i = this.columns.get(column);
    return i === undefined ? "" : (this.fields[i] ?? "").trim();
  }
}

function parseExplicit(text: string): boolean | null {
  const t = text.toLowerCase();
  if (t === "true" || t === "1" || t === "1.0") return true;
  if (t === "false" || t === "0" || t === "0.0") return false;
  return null;
}

function parseFeatures(row: RowReader): Normalized<AudioFeatures> {
  const explicit = parseExplicit(row.text("explicit"));
  if (explicit === null)
    return { ok: false, reason: `explicit: expected True/False or 1/0, got "${row.text("explicit")}"` };
  const out: Partial<AudioFeatures> = { explicit };
  for (const spec of CSV_NUMERIC_FIELDS) {
    const raw = row.text(spec.name);
    if (raw === "") return { ok: false, reason: `missing ${spec.name}` };
    const n = Number(raw);
    if (!Number.isFinite(n)) return { ok: false, reason: `${spec.name}: expected a number, got "${raw}"` };
    if (n < spec.min || n > spec.max) {
      return { ok: false, reason: `${spec.name}: ${raw} is outside ${spec.min}..${spec.max}` };
    }
    if (spec.wholeInCsv && !Number.isInteger(n))
      return { ok: false, reason: `${spec.name}: expected an integer, got "${raw}"` };
    (out as Record<string, number | boolean>)[spec.prop] = n;
  }
  return { ok: true, value: out as AudioFeatures };
}

function checkId(id: string, column: string): string | null {
  if (id === "") return `missing ${column}`;
  if (!SPOTIFY_ID.test(id)) return `${column}: "${id.slice(0, 40)}" is not a 22-character Spotify id`;
  return null;
}

/**
 * A row must have as many fields as the header: one more or one fewer shifts every column after it (an extra
 * field before track_genre would be stored as the genre). `width` is the header's field count; without it, the
 * last named column's position.
 */
function checkFieldCount(fields: readonly string[], columns: ColumnIndex, width?: number): string | null {
  const needed = width ?? Math.max(...columns.values()) + 1;
  return fields.length !== needed ? `expected ${needed} fields, got ${fields.length}` : null;
}

export function normalizeTrack(
  layout: LayoutName,
  fields: readonly string[],
  columns: ColumnIndex,
  width?: number,
): Normalized<TrackRow> {
  const countError = checkFieldCount(fields, columns, width);
  if (countError) return { ok: false, reason: countError };
  const row = new RowReader(fields, columns);
  const is114k = layout === "tracks-114k";
  const idColumn = is114k ? "track_id" : "id";
  const id = row.text(idColumn);
  const idError = checkId(id, idColumn);
  if (idError) return { ok: false, reason: idError };

  const name = row.text(is114k ? "track_name" : "name");
  if (name === "") return { ok: false, reason: `missing ${is114k ? "track_name" : "name"}` };

  let artists: string[];
  let artistIds: string[] = [];
  if (is114k) {
    artists = row
      .text("artists")
      .split(";")
      .map((a) => a.trim())
      .filter((a) => a !== "");
  } else {
    const parsed = parsePythonList(row.text("artists"));
    if (parsed === null)
      return {
        ok: false,
        reason: `artists: expected a list like ['Name'], got "${row.text("artists").slice(0, 60)}"`,
      };
    artists = parsed.map((a) => a.trim()).filter((a) => a !== "");
    const ids = parsePythonList(row.text("id_artists"));
    if (ids === null)
      return {
        ok: false,
        reason: `id_artists: expected a list like ['id'], got "${row.text("id_artists").slice(0, 60)}"`,
      };
    artistIds = ids.map((a) => a.trim());
  }
  if (artists.length === 0) return { ok: false, reason: "missing artists" };

  const features = parseFeatures(row);
  if (!features.ok) return features;

  const releaseDate = is114k ? null : row.text("release_date") || null;
  const date = releaseDate ? checkReleaseDate(releaseDate) : null;
  if (date && "problem" in date) {
    return {
      ok: false,
      reason: `release_date: expected YYYY, YYYY-MM or YYYY-MM-DD, got "${releaseDate}" (${date.problem})`,
    };
  }
  const year = date ? date.year : null;

  const genre = is114k ? row.text("track_genre") : "";
  if (is114k && genre === "") return { ok: false, reason: "missing track_genre" };

  return {
    ok: true,
    value: {
      id,
      name,
      artists,
      artistIds,
      album: is114k ? row.text("album_name") || null : null,
      genres: genre ? [normalizeGenre(genre)] : [],
      releaseDate,
      year,
      ...features.value,
    },
  };
}

export function normalizeArtist(
  fields: readonly string[],
  columns: ColumnIndex,
  width?: number,
): Normalized<ArtistRow> {
  const countError = checkFieldCount(fields, columns, width);
  if (countError) return { ok: false, reason: countError };
  const row = new RowReader(fields, columns);
  const id = row.text("id");
  const idError = checkId(id, "id");
  if (idError) return { ok: false, reason: idError };
  const name = row.text("name");
  if (name === "") return { ok: false, reason: "missing name" };
  const genres = parsePythonList(row.text("genres") || "[]");
  if (genres === null)
    return {
      ok: false,
      reason: `genres: expected a list like ['rock'], got "${row.text("genres").slice(0, 60)}"`,
    };
  const num = (column: string): number | null | "bad" => {
    const raw = row.text(column);
    if (raw === "") return null;
    const n = Number(raw);
    return Number.isFinite(n) && n >= 0 ? n : "bad";
  };
  const followers = num("followers");
  const popularity = num("popularity");
  if (followers === "bad")
    return { ok: false, reason: `followers: expected a non-negative number, got "${row.text("followers")}"` };
  if (popularity === "bad" || (popularity !== null && popularity > 100)) {
    return { ok: false, reason: `popularity: expected 0..100, got "${row.text("popularity")}"` };
  }
  return {
    ok: true,
    value: { id, name, followers, popularity, genres: genres.map(normalizeGenre).filter((g) => g !== "") },
  };
}

/** Genre labels are compared in one form: lower case, single spaces ("Detroit-Techno " -> "detroit-techno"). */
export function normalizeGenre(genre: string): string {
  return genre.trim().toLowerCase().replace(/\s+/g, " ");
}
