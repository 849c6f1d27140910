/** Likes files in the formats people actually have (lines, playlist CSVs, Spotify's export, Markdown) -> entries. */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import Papa from "papaparse";
import { SpotivecError } from "../domain/errors.js";

export type LikeEntry =
  | { kind: "id"; line: number; raw: string; id: string }
  | { kind: "track"; line: number; raw: string; artist: string; title: string }
  | { kind: "artist"; line: number; raw: string; artist: string };

export type LikesFormat = "lines" | "csv" | "spotify-library" | "markdown";

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

function lineEntry(text: string, line: number): LikeEntry | string {
  const raw = text.trim();
  const id = trackIdOf(raw);
  if (id) return { kind: "id", line, raw, id };
  // "Stand by Me by Ben E. King": the artist follows the last " by ".
  const byForm = /^(.+)\s+by\s+(.+?)$/i.exec(raw);
  const split = splitArtistTitle(raw);
  if (split) return { kind: "track", line, raw, ...split };
  if (byForm)
    return {
      kind: "track",
      line,
      raw,
      title: (byForm[1] as string).trim(),
      artist: (byForm[2] as string).trim(),
    };
  return `"${raw.slice(0, 60)}" is not "Artist - Title", a Spotify track id, URI or URL`;
}

/** Plain lines: "Artist - Title", ids, URIs, URLs; blank lines and # comments skipped. */
function parseLines(text: string, file: string): LikeEntry[] {
  const entries: LikeEntry[] = [];
  const bad: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) return;
    const e = lineEntry(line, i + 1);
    if (typeof e === "string") bad.push(`${file}:${i + 1}: ${e}`);
    else entries.push(e);
  });
  if (bad.length > 0) {
    throw new SpotivecError(
      "LIKES_FORMAT",
      `${file}: ${bad.length} line(s) are not likes spotivec can read`,
      {
        expected:
          'one "Artist - Title", Spotify track id, spotify:track: URI or open.spotify.com URL per line',
        got: bad.slice(0, 5).join("; ") + (bad.length > 5 ? `; and ${bad.length - 5} more` : ""),
        hint: "Separate artist and title with a spaced dash, e.g. My Chemical Romance - Helena",
      },
    );
  }
  return entries;
}

/**
 * Markdown notes: list items and table rows with songs ("Artist - Title", "Title by Artist", links to
 * open.spotify.com) and, under a heading that mentions artists, artist names.
 */
function parseMarkdown(text: string): LikeEntry[] {
  const entries: LikeEntry[] = [];
  let artistSection = false;
  /** Column positions of the current table, from its header row. */
  let table: { artist: number; title: number } | null = null;
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      artistSection = /artist|band/i.test(heading[1] as string) && !/song|track/i.test(heading[1] as string);
      return;
    }
    let content: string;
    if (/^\|(.+)\|$/.test(line)) {
      const cells = line
        .split("|")
        .map((c) => c.trim())
        .slice(1, -1);
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
      const item = /^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+)$/.exec(line);
      if (!item) return;
      content = (item[1] as string).trim();
    }
    // Links: keep the URL when it names a track, else the link text.
    const link = /\[([^\]]+)\]\(([^)]+)\)/.exec(content);
    const id = trackIdOf(link?.[2] ?? content);
    const plain = content
      .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
      .replace(/[*_`]/g, "")
      .trim();
    if (id) entries.push({ kind: "id", line: i + 1, raw: plain, id });
    else if (artistSection) entries.push({ kind: "artist", line: i + 1, raw: plain, artist: plain });
    else {
      const e = lineEntry(plain, i + 1);
      if (typeof e !== "string") entries.push(e);
      else entries.push({ kind: "artist", line: i + 1, raw: plain, artist: plain });
    }
  });
  return entries;
}

/** Spotify's account data export: YourLibrary.json, `tracks: [{ artist, album, track, uri }]`. */
function parseSpotifyLibrary(text: string, file: string): LikeEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
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
  return tracks.map((item: unknown, i) => {
    const t = (item !== null && typeof item === "object" ? item : {}) as {
      artist?: string;
      track?: string;
      uri?: string;
    };
    const id = t.uri ? trackIdOf(t.uri) : null;
    const raw = `${t.artist ?? ""} - ${t.track ?? ""}`;
    if (id) return { kind: "id" as const, line: i + 1, raw, id };
    return { kind: "track" as const, line: i + 1, raw, artist: t.artist ?? "", title: t.track ?? "" };
  });
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

/** Playlist exports (Exportify and the like): a track URI column, or artist and title columns. */
function parseCsv(text: string, file: string): LikeEntry[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, "").trim(), { delimiter: "" });
  const [header, ...rows] = parsed.data;
  if (!header) return [];
  const cols = header.map((h) => h.trim().toLowerCase());
  const find = (names: string[]) => names.map((n) => cols.indexOf(n)).find((i) => i >= 0) ?? -1;
  const uri = find(URI_COLUMNS);
  const title = find(TITLE_COLUMNS);
  const artist = find(ARTIST_COLUMNS);
  if (uri < 0 && (title < 0 || artist < 0)) {
    throw new SpotivecError("LIKES_FORMAT", `${file}: no track column spotivec knows`, {
      expected: `a column of track URIs (${URI_COLUMNS.slice(0, 3).join(", ")}) or artist and title columns`,
      got: `columns ${cols.join(", ")}`,
      hint: "Export the playlist with its track URIs (e.g. Exportify), or add Artist and Title columns.",
    });
  }
  return rows
    .map((r, i) => ({ r, line: i + 2 }))
    .filter(({ r }) => r.some((c) => c.trim() !== ""))
    .map(({ r, line }) => {
      const id = uri >= 0 ? trackIdOf(r[uri] ?? "") : null;
      // Exportify lists several artists comma-separated; the first is the one to match on.
      const a = artist >= 0 ? ((r[artist] ?? "").split(/\s*[,;]\s*/)[0]?.trim() ?? "") : "";
      const t = title >= 0 ? (r[title] ?? "").trim() : "";
      const raw = a || t ? `${a} - ${t}` : (r[uri] ?? "");
      if (id) return { kind: "id" as const, line, raw, id };
      return { kind: "track" as const, line, raw, artist: a, title: t };
    });
}

export function detectLikesFormat(path: string, text: string): LikesFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".json" || text.trimStart().startsWith("{")) return "spotify-library";
  if (ext === ".md" || ext === ".markdown") return "markdown";
  if (ext === ".csv" || ext === ".tsv") return "csv";
  return "lines";
}

export function parseLikes(
  text: string,
  file = "likes",
  format: LikesFormat = detectLikesFormat(file, text),
): LikeEntry[] {
  switch (format) {
    case "spotify-library":
      return parseSpotifyLibrary(text, file);
    case "markdown":
      return parseMarkdown(text);
    case "csv":
      return parseCsv(text, file);
    case "lines":
      return parseLines(text, file);
  }
}

export function readLikesFile(path: string): LikeEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new SpotivecError("FILE_NOT_FOUND", `Cannot read the likes file ${path}`, {
      expected: "a likes file: lines, a playlist CSV, Spotify's YourLibrary.json or a Markdown list",
      got: `no readable file at ${path}`,
      hint: "Check the path.",
    });
  }
  return parseLikes(text, path);
}
