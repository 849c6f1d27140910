/** Playlists in the formats players and other tools read: M3U8, XSPF, Exportify's CSV, and JSON. */
import { SpotivecError } from "../domain/errors.js";
import { spotifyUrl } from "../domain/track.js";
import { EXPORT_FORMATS, type ExportFormat, type Playlist, type PlaylistTrack } from "./types.js";

export function spotifyUri(id: string): string {
  return `spotify:track:${id}`;
}

/** The format named (any case), else a usage error listing the formats. */
export function exportFormat(name: string): ExportFormat {
  const format = name.trim().toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(format)) return format as ExportFormat;
  throw new SpotivecError("USAGE", `Unknown export format "${name}"`, {
    expected: `one of ${EXPORT_FORMATS.join(", ")}`,
    got: JSON.stringify(name),
    hint: "For example --format m3u8 (players), xspf, csv (Exportify's columns) or json.",
  });
}

/** The format a file name's extension names (".m3u" counts as M3U8), or null. */
export function formatOfPath(path: string): ExportFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === "m3u" || ext === "m3u8") return "m3u8";
  return ext === "xspf" || ext === "csv" || ext === "json" ? ext : null;
}

/** One line of text: line breaks and other control characters become spaces. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

const artistsOf = (t: PlaylistTrack) => t.artists.join(", ");

/** Extended M3U in UTF-8: `#EXTINF:<seconds>,<Artists> - <Title>` then the track's Spotify URI. */
export function toM3u8(p: Playlist): string {
  const lines = ["#EXTM3U", `#PLAYLIST:${oneLine(p.name)}`];
  for (const t of p.tracks) {
    lines.push(`#EXTINF:${Math.round(t.durationMs / 1000)},${oneLine(`${artistsOf(t)} - ${t.name}`)}`);
    lines.push(spotifyUri(t.id));
  }
  return `${lines.join("\n")}\n`;
}

/** Text for XML content and attributes; characters XML 1.0 cannot carry at all are left out. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

/** XSPF version 1 (https://www.xspf.org/spec): track elements in the order the spec lists them. */
export function toXspf(p: Playlist): string {
  const el = (name: string, value: string, indent: string) =>
    `${indent}<${name}>${xmlEscape(value)}</${name}>`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<playlist version="1" xmlns="http://xspf.org/ns/0/">',
    el("title", p.name, "  "),
    ...(p.source.query ? [el("annotation", p.source.query, "  ")] : []),
    el("date", p.updatedAt, "  "),
    "  <trackList>",
  ];
  for (const t of p.tracks) {
    out.push("    <track>");
    out.push(el("location", spotifyUrl(t.id), "      "));
    out.push(el("identifier", spotifyUri(t.id), "      "));
    out.push(el("title", t.name, "      "));
    out.push(el("creator", artistsOf(t), "      "));
    if (t.album) out.push(el("album", t.album, "      "));
    out.push(el("duration", String(Math.round(t.durationMs)), "      "));
    out.push("    </track>");
  }
  out.push("  </trackList>", "</playlist>");
  return `${out.join("\n")}\n`;
}

/**
 * The columns Exportify writes, in its order: the playlist name, then the track's base data
 * (watsonbox/exportify, src/components/data/TracksBaseData.ts `dataLabels`, labels from
 * src/i18n/locales/en/translation.json), then "Added By" and "Added At" (src/components/PlaylistExporter.tsx,
 * TracksCsvFile), then "Artist Genres" as its "include artists data" option adds it (TracksArtistsData.ts).
 */
export const EXPORTIFY_COLUMNS = [
  "Name",
  "Track URI",
  "Track Name",
  "Artist URI(s)",
  "Artist Name(s)",
  "Album URI",
  "Album Name",
  "Album Artist URI(s)",
  "Album Artist Name(s)",
  "Album Release Date",
  "Album Image URL",
  "Disc Number",
  "Track Number",
  "Track Duration (ms)",
  "Track Preview URL",
  "Explicit",
  "Popularity",
  "ISRC",
  "Added By",
  "Added At",
  "Artist Genres",
] as const;

/** Every field quoted, quotes doubled, as Exportify's `sanitize` does (RFC 4180). */
export function csvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** A row of EXPORTIFY_COLUMNS; what the catalog does not know (artist and album URIs, images, ISRC) is empty. */
function exportifyRow(p: Playlist, t: PlaylistTrack): string[] {
  // Exportify escapes commas inside an artist's name, then joins the names with ", ".
  const artists = t.artists.map((a) => a.replace(/,/g, "\\,")).join(", ");
  return [
    p.name,
    spotifyUri(t.id),
    t.name,
    "",
    artists,
    "",
    t.album ?? "",
    "",
    "",
    t.releaseDate ?? "",
    "",
    "",
    "",
    String(Math.round(t.durationMs)),
    "",
    String(t.explicit),
    String(t.popularity),
    "",
    "",
    p.updatedAt,
    t.genres.join(","),
  ];
}

/** Exportify's CSV: its header and one row per track, each field quoted, lines ending in "\n". */
export function toCsv(p: Playlist): string {
  const rows = [[...EXPORTIFY_COLUMNS], ...p.tracks.map((t) => exportifyRow(p, t))];
  return rows
    .map((r) => r.map(csvField).join(","))
    .join("\n")
    .concat("\n");
}

export function exportPlaylist(playlist: Playlist, format: ExportFormat): string {
  switch (format) {
    case "m3u8":
      return toM3u8(playlist);
    case "xspf":
      return toXspf(playlist);
    case "csv":
      return toCsv(playlist);
    case "json":
      return `${JSON.stringify(playlist, null, 2)}\n`;
    default:
      throw exportFormat(String(format));
  }
}

/** MIME type and file extension of each format (for downloads and --out). */
export const EXPORT_TYPES: Record<ExportFormat, { mime: string; extension: string }> = {
  m3u8: { mime: "audio/x-mpegurl; charset=utf-8", extension: "m3u8" },
  xspf: { mime: "application/xspf+xml; charset=utf-8", extension: "xspf" },
  csv: { mime: "text/csv; charset=utf-8", extension: "csv" },
  json: { mime: "application/json; charset=utf-8", extension: "json" },
};
