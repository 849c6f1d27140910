/** The lyrics CSV (Spotify Million Song Dataset: artist, song, link, text) read as a stream of rows, .gz too. */
import { SpotivecError } from "../../domain/errors.js";
import { type CsvSource, openCsv } from "../../ingest/csv.js";

/** A row of the lyrics file with the 1-based line it starts on; `broken` when it could not be read. */
export type LyricsRow =
  | { kind: "row"; line: number; artist: string; song: string; text: string }
  | { kind: "broken"; line: number; reason: string };

/** Lines a lyrics field may span: the longest songs run to a few hundred lines. */
export const MAX_LYRICS_LINES = 2000;

/** The columns a lyrics file must have (case and spacing of the header aside). */
export const LYRICS_COLUMNS = ["artist", "song", "text"] as const;

function headerError(path: string, got: string): SpotivecError {
  return new SpotivecError("LYRICS_FORMAT", `${path} is not a lyrics CSV`, {
    expected: `a header with the columns ${LYRICS_COLUMNS.join(", ")} (artist,song,link,text in the Million Song Dataset)`,
    got,
    hint: "Give spotify_millsongdata.csv (or a .csv.gz of it), or a CSV with those columns.",
  });
}

/** Where each needed column is, from the header record. */
function columnsOf(path: string, header: readonly string[]): Record<(typeof LYRICS_COLUMNS)[number], number> {
  const names = header.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/^\ufeff/, ""),
  );
  const missing = LYRICS_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw headerError(
      path,
      `the header ${JSON.stringify(header.join(",").slice(0, 120))}, without ${missing.join(", ")}`,
    );
  return { artist: names.indexOf("artist"), song: names.indexOf("song"), text: names.indexOf("text") };
}

export interface LyricsSource {
  /** Bytes of the file and bytes read so far, for progress. */
  size: number;
  bytesRead(): number;
  rows: AsyncGenerator<LyricsRow>;
}

/** Opens the file and checks its header before any row is given; rows stream after it. */
export async function openLyrics(path: string): Promise<LyricsSource> {
  const source: CsvSource = openCsv(path, { maxRecordLines: MAX_LYRICS_LINES });
  const first = await source.items.next();
  if (first.done) throw headerError(path, "an empty file");
  if (first.value.kind !== "record")
    throw headerError(path, `an unreadable first line (${first.value.reason})`);
  const col = columnsOf(path, first.value.fields);
  const rows = (async function* (): AsyncGenerator<LyricsRow> {
    for await (const item of source.items) {
      if (item.kind === "broken") {
        yield { kind: "broken", line: item.line, reason: item.reason };
        continue;
      }
      const f = item.fields;
      if (f.length === 1 && f[0] === "") continue; // a blank line
      const field = (i: number) => f[i] ?? "";
      yield {
        kind: "row",
        line: item.line,
        artist: field(col.artist),
        song: field(col.song),
        text: field(col.text),
      };
    }
  })();
  return { size: source.size, bytesRead: source.bytesRead, rows };
}
