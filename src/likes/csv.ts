/**
 * Playlist CSVs (Exportify and the like), read line by line: records are assembled from physical lines so each
 * keeps its line number, and a row with a broken quote is reported on its own instead of swallowing the rows
 * after it.
 */
import { SpotivecError } from "../domain/errors.js";
import type { Emit, LikeEntry, LineParser } from "./parse.js";
import { trackIdOf } from "./parse.js";

/** A quoted field may span lines, but a quote left open over this many lines is a broken row. */
export const MAX_RECORD_LINES = 10;

const DELIMITERS = [",", ";", "\t", "|"] as const;

type Tokens = { ok: true; fields: string[] } | { ok: false; open: boolean };

/** Fields of one record; `open` when a quoted field is still open at the end of the text. */
export function tokenize(text: string, delimiter: string): Tokens {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { ok: false, open: true };
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // After a closing quote: a delimiter or the end of the record, nothing else.
      if (i < n && text[i] !== delimiter) return { ok: false, open: false };
      fields.push(value);
    } else {
      const d = text.indexOf(delimiter, i);
      const end = d < 0 ? n : d;
      fields.push(text.slice(i, end));
      i = end;
    }
    if (i >= n) return { ok: true, fields };
    i += delimiter.length;
  }
}

/** The delimiter found most often outside quotes in the header line (comma when none is). */
function detectDelimiter(header: string): string {
  const unquoted = header.replace(/"[^"]*"/g, "");
  let best: string = ",";
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

const URI_COLUMNS = [
  "track uri",
  "spotify uri",
  "uri",
  "track_uri",
  "spotify_uri",
  "spotify id",
  "track id",
  "track_id",
  "id",
  "url",
  "spotify url",
];
const TITLE_COLUMNS = ["track name", "track_name", "name", "title", "track", "song", "song name"];
const ARTIST_COLUMNS = [
  "artist name(s)",
  "artist names",
  "artist name",
  "artist_name",
  "artists",
  "artist",
  "artist(s)",
];

interface Columns {
  uri: number;
  title: number;
  artist: number;
}

function columnsOf(header: readonly string[], file: string): Columns {
  const cols = header.map((h) => h.trim().toLowerCase());
  const find = (names: string[]) => names.map((n) => cols.indexOf(n)).find((i) => i >= 0) ?? -1;
  const columns = { uri: find(URI_COLUMNS), title: find(TITLE_COLUMNS), artist: find(ARTIST_COLUMNS) };
  if (columns.uri < 0 && (columns.title < 0 || columns.artist < 0)) {
    throw new SpotivecError("LIKES_FORMAT", `${file}: no track column spotivec knows`, {
      expected: `a column of track URIs (${URI_COLUMNS.slice(0, 3).join(", ")}) or artist and title columns`,
      got: `columns ${cols.join(", ")}`,
      hint: "Export the playlist with its track URIs (e.g. Exportify), or add Artist and Title columns.",
    });
  }
  return columns;
}

function rowEntry(r: readonly string[], line: number, c: Columns): LikeEntry {
  const id = c.uri >= 0 ? trackIdOf(r[c.uri] ?? "") : null;
  // Exportify lists several artists comma-separated; the first is the one to match on.
  const a = c.artist >= 0 ? ((r[c.artist] ?? "").split(/\s*[,;]\s*/)[0]?.trim() ?? "") : "";
  const t = c.title >= 0 ? (r[c.title] ?? "").trim() : "";
  const raw = a || t ? `${a} - ${t}` : (r[c.uri] ?? "");
  if (id) return { kind: "id", line, raw, id };
  return { kind: "track", line, raw, artist: a, title: t };
}

/** The CSV likes parser: the first non-blank record is the header; blank rows are skipped. */
export function createCsvParser(file: string): LineParser {
  let delimiter: string | null = null;
  let columns: Columns | null = null;
  /** Physical lines of a record whose quoted field is still open. */
  let pending: Array<[number, string]> = [];

  const record = (fields: string[], line: number, emit: Emit) => {
    if (fields.every((f) => f.trim() === "")) return;
    if (!columns) columns = columnsOf(fields, file);
    else emit(rowEntry(fields, line, columns));
  };

  const broken = (line: number, text: string, emit: Emit, reason: string) => {
    if (!columns) columnsOf([text], file);
    emit({ kind: "invalid", line, raw: text.slice(0, 80), reason: `broken quoting: ${reason}` });
  };

  /**
   * Gives up on the pending record: its first line is reported and the lines after it are read again. At the
   * end of the input nothing may stay pending.
   */
  const giveUp = (emit: Emit, final: boolean) => {
    do {
      const [[line, text] = [0, ""], ...rest] = pending;
      pending = [];
      broken(line, text, emit, "a quoted field opened on this row is never closed");
      for (const [l, t] of rest) push(t, l, emit);
    } while (final && pending.length > 0);
  };

  const push = (text: string, line: number, emit: Emit): void => {
    const t = line === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (delimiter === null) {
      if (t.trim() === "") return;
      delimiter = detectDelimiter(t);
    }
    pending.push([line, t]);
    const joined = pending.length === 1 ? t : pending.map((p) => p[1]).join("\n");
    const tokens = tokenize(joined, delimiter);
    if (tokens.ok) {
      const start = pending[0]?.[0] ?? line;
      pending = [];
      record(tokens.fields, start, emit);
    } else if (!tokens.open || pending.length >= MAX_RECORD_LINES) {
      if (pending.length === 1) {
        pending = [];
        broken(line, t, emit, tokens.open ? "a quoted field is not closed" : "text after a closing quote");
      } else giveUp(emit, false);
    }
  };

  return {
    push,
    end: (emit) => {
      if (pending.length > 0) giveUp(emit, true);
    },
  };
}
