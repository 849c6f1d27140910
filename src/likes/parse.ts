/** Likes files in the formats people actually have (lines, playlist CSVs, Spotify's export, Markdown) -> entries. */
import { extname } from "node:path";
import { SpotivecError } from "../domain/errors.js";
import { createCsvParser } from "./csv.js";

export type LikeEntry =
  | { kind: "id"; line: number; raw: string; id: string }
  | { kind: "track"; line: number; raw: string; artist: string; title: string }
  | { kind: "artist"; line: number; raw: string; artist: string }
  /** A line or record that could not be read as a like (broken quoting, a field of the wrong type). */
  | { kind: "invalid"; line: number; raw: string; reason: string };

/** What a parser makes of a line: an entry, or a comment it skipped (reported in the summary). */
export type LikeItem = LikeEntry | { kind: "comment"; line: number; raw: string };

export type LikesFormat = "lines" | "csv" | "spotify-library" | "markdown";

export type Emit = (item: LikeItem) => void;

/** A parser fed one physical line at a time (1-based line numbers), so files can be read as a stream. */
export interface LineParser {
  push(text: string, line: number, emit: Emit): void;
  /** The end of the input: anything still pending is emitted. */
  end(emit: Emit): void;
}

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
const URI = /spotify:track:([0-9A-Za-z]{22})(?![0-9A-Za-z])/;
const URL_ID = /open\.spotify\.com\/(?:intl-[a-z-]+\/)?track\/([0-9A-Za-z]{22})(?![0-9A-Za-z])/;

/** A Spotify track id from an id, a spotify:track: URI or an open.spotify.com URL; null otherwise. */
export function trackIdOf(text: string): string | null {
  const t = text.trim();
  if (SPOTIFY_ID.test(t)) return t;
  return URI.exec(t)?.[1] ?? URL_ID.exec(t)?.[1] ?? null;
}

/** "Artist - Title" (also en/em dashes); the first separator splits, so titles may contain " - ". */
function splitArtistTitle(text: string): { artist: string; title: string } | null {
  const m = /^(.+?)\s+[-–—]\s+(.+)$/.exec(text.trim());
  return m ? { artist: (m[1] as string).trim(), title: (m[2] as string).trim() } : null;
}

/** An entry, or why the text is not one. */
function lineEntry(text: string, line: number): LikeEntry {
  const raw = text.trim();
  const id = trackIdOf(raw);
  if (id) return { kind: "id", line, raw, id };
  const split = splitArtistTitle(raw);
  if (split) return { kind: "track", line, raw, ...split };
  // "Stand by Me by Ben E. King": the artist follows the last " by ".
  const byForm = /^(.+)\s+by\s+(.+?)$/i.exec(raw);
  if (byForm)
    return {
      kind: "track",
      line,
      raw,
      title: (byForm[1] as string).trim(),
      artist: (byForm[2] as string).trim(),
    };
  const reason = `"${raw.slice(0, 60)}" is not "Artist - Title", a Spotify track id, URI or URL`;
  return { kind: "invalid", line, raw, reason };
}

/**
 * A comment is "#" followed by a space (or alone on its line): "#Kids - Wheels on The Bus" is a song, not a
 * comment.
 */
export function isComment(trimmed: string): boolean {
  return /^#(\s|$)/.test(trimmed);
}

/** Plain lines: "Artist - Title", ids, URIs, URLs; blank lines skipped, "# " comments reported as skipped. */
function createLinesParser(): LineParser {
  return {
    push(text, line, emit) {
      const t = text.trim();
      if (t === "") return;
      emit(isComment(t) ? { kind: "comment", line, raw: t } : lineEntry(t, line));
    },
    end() {},
  };
}

/** The error for a lines file with lines that are not likes: `bad` holds the first few as "file:line: reason". */
export function linesFormatError(file: string, bad: readonly string[], count: number): SpotivecError {
  return new SpotivecError("LIKES_FORMAT", `${file}: ${count} line(s) are not likes spotivec can read`, {
    expected: 'one "Artist - Title", Spotify track id, spotify:track: URI or open.spotify.com URL per line',
    got: bad.slice(0, 5).join("; ") + (count > 5 ? `; and ${count - 5} more` : ""),
    hint: 'Separate artist and title with a spaced dash, e.g. My Chemical Romance - Helena; comment lines start with "# ".',
  });
}

/** Cells of a Markdown table row, or null when the line is not one. */
function tableCells(line: string): string[] | null {
  if (!/^\|(.+)\|$/.test(line)) return null;
  return line
    .split("|")
    .map((c) => c.trim())
    .slice(1, -1);
}

/** One Markdown list item or table cell pair -> an entry: links to tracks, songs, else artist names. */
function markdownEntry(content: string, line: number, artistSection: boolean): LikeEntry {
  // Links: keep the URL when it names a track, else the link text.
  const link = /\[([^\]]+)\]\(([^)]+)\)/.exec(content);
  const id = trackIdOf(link?.[2] ?? content);
  const plain = content
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/[*_`]/g, "")
    .trim();
  if (id) return { kind: "id", line, raw: plain, id };
  if (artistSection) return { kind: "artist", line, raw: plain, artist: plain };
  const e = lineEntry(plain, line);
  return e.kind === "invalid" ? { kind: "artist", line, raw: plain, artist: plain } : e;
}

/**
 * Markdown notes: list items and table rows with songs ("Artist - Title", "Title by Artist", links to
 * open.spotify.com) and, under a heading that mentions artists, artist names. Headings, prose, table headers and
 * rules are not likes and are passed over.
 */
function createMarkdownParser(): LineParser {
  let artistSection = false;
  /** Column positions of the current table, from its header row. */
  let table: { artist: number; title: number } | null = null;
  return {
    push(text, line, emit) {
      const trimmed = text.trim();
      const heading = /^#{1,6}\s+(.*)$/.exec(trimmed);
      if (heading) {
        const h = heading[1] as string;
        artistSection = /artist|band/i.test(h) && !/song|track/i.test(h);
        return;
      }
      const cells = tableCells(trimmed);
      let content: string;
      if (cells) {
        if (cells.every((c) => /^:?-{3,}:?$/.test(c))) return;
        const lower = cells.map((c) => c.toLowerCase());
        const artist = lower.findIndex((c) => /^artists?$|^artist name/.test(c));
        const title = lower.findIndex((c) => /^(title|track|song|name)$/.test(c));
        if (artist >= 0 && title >= 0) {
          table = { artist, title };
          return;
        }
        const cols = table ?? { artist: 0, title: 1 };
        if (cells.length < 2) return;
        content = `${cells[cols.artist] ?? ""} - ${cells[cols.title] ?? ""}`;
      } else {
        table = null;
        // dotAll: a Unicode line separator (U+2028) inside an item must not hide it.
        const item = /^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+)$/s.exec(trimmed);
        if (!item) return;
        content = (item[1] as string).trim();
      }
      emit(markdownEntry(content, line, artistSection));
    },
    end() {},
  };
}

/** A JSON value's type, for messages: "a number", "null", "a list". */
function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

const LIBRARY_FIELDS = ["artist", "track", "uri"] as const;

/** One item of YourLibrary.json's tracks list (numbered from 1 as its "line"); fields must be text. */
function libraryEntry(item: unknown, i: number): LikeEntry {
  const line = i + 1;
  const raw = (JSON.stringify(item) ?? String(item)).slice(0, 80);
  if (item === null || typeof item !== "object" || Array.isArray(item))
    return { kind: "invalid", line, raw, reason: `tracks[${i}] is ${typeName(item)}, not a track object` };
  const t = item as Record<string, unknown>;
  for (const field of LIBRARY_FIELDS) {
    const v = t[field];
    if (v !== undefined && v !== null && typeof v !== "string")
      return { kind: "invalid", line, raw, reason: `tracks[${i}].${field} is ${typeName(v)}, not text` };
  }
  const artist = (t.artist as string | undefined) ?? "";
  const title = (t.track as string | undefined) ?? "";
  const id = t.uri ? trackIdOf(t.uri as string) : null;
  const label = `${artist} - ${title}`;
  if (id) return { kind: "id", line, raw: label, id };
  return { kind: "track", line, raw: label, artist, title };
}

/** Spotify's account data export: YourLibrary.json, `tracks: [{ artist, album, track, uri }]`. Read whole. */
function parseSpotifyLibrary(text: string, file: string): LikeEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (cause) {
    throw new SpotivecError("LIKES_FORMAT", `${file} is not valid JSON`, {
      expected: "Spotify's YourLibrary.json",
      got: String(cause),
      hint: "Pass the file from your Spotify data export as it is.",
    });
  }
  const tracks =
    data !== null && typeof data === "object" ? (data as { tracks?: unknown }).tracks : undefined;
  if (!Array.isArray(tracks)) {
    throw new SpotivecError("LIKES_FORMAT", `${file}: no "tracks" list`, {
      expected: 'Spotify\'s YourLibrary.json: { "tracks": [ { "artist", "album", "track", "uri" } ] }',
      got:
        data !== null && typeof data === "object"
          ? `top-level keys ${Object.keys(data).join(", ") || "(none)"}`
          : `a JSON ${data === null ? "null" : typeof data}`,
      hint: "Use YourLibrary.json from Spotify's account data export.",
    });
  }
  return tracks.map(libraryEntry);
}

/** The parser of a line-based format (every format but Spotify's JSON export). */
export function createLineParser(format: Exclude<LikesFormat, "spotify-library">, file: string): LineParser {
  if (format === "csv") return createCsvParser(file);
  if (format === "markdown") return createMarkdownParser();
  return createLinesParser();
}

export function detectLikesFormat(path: string, text: string): LikesFormat {
  const ext = extname(path).toLowerCase();
  if (
    ext === ".json" ||
    text
      .replace(/^\uFEFF/, "")
      .trimStart()
      .startsWith("{")
  )
    return "spotify-library";
  if (ext === ".md" || ext === ".markdown") return "markdown";
  if (ext === ".csv" || ext === ".tsv") return "csv";
  return "lines";
}

/** Every item (entries and skipped comments) of a whole text. */
export function parseLikeItems(text: string, file: string, format: LikesFormat): LikeItem[] {
  if (format === "spotify-library") return parseSpotifyLibrary(text, file);
  const items: LikeItem[] = [];
  const emit: Emit = (item) => items.push(item);
  const parser = createLineParser(format, file);
  const lines = text.split("\n");
  lines.forEach((l, i) => {
    parser.push(l.endsWith("\r") ? l.slice(0, -1) : l, i + 1, emit);
  });
  parser.end(emit);
  return items;
}

/**
 * The entries of a whole text. A lines file with lines that are not likes is refused (LIKES_FORMAT, listing
 * them as file:line); in the other formats a row that cannot be read is an "invalid" entry with its line.
 */
export function parseLikes(
  text: string,
  file = "likes",
  format: LikesFormat = detectLikesFormat(file, text),
): LikeEntry[] {
  const entries = parseLikeItems(text, file, format).filter((i): i is LikeEntry => i.kind !== "comment");
  if (format === "lines") {
    const bad = entries.filter((e) => e.kind === "invalid");
    if (bad.length > 0)
      throw linesFormatError(
        file,
        bad.slice(0, 5).map((e) => `${file}:${e.line}: ${e.reason}`),
        bad.length,
      );
  }
  return entries;
}
