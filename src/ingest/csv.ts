import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import Papa from "papaparse";
import { SpotivecError } from "../domain/errors.js";

/** A parsed CSV record, with the 1-based physical line it starts on. */
export interface CsvRecord {
  kind: "record";
  line: number;
  fields: string[];
}

/** A record that could not be parsed (broken quoting); reading goes on after it. */
export interface CsvBroken {
  kind: "broken";
  line: number;
  reason: string;
  raw: string;
}

export type CsvItem = CsvRecord | CsvBroken;

/** A quoted field may span lines, but a quote left open this long is a broken row, not a long field. */
export const MAX_RECORD_LINES = 20;

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++;
  return n;
}

function parseRecord(text: string): { fields: string[] } | { error: string } {
  const result = Papa.parse<string[]>(text, { delimiter: ",", newline: "\n", quoteChar: '"' });
  const error = result.errors[0];
  if (error) return { error: `broken quoting: ${error.message}` };
  const fields = result.data[0];
  if (!fields || result.data.length !== 1)
    return { error: "broken quoting: record did not parse as one row" };
  return { fields };
}

/**
 * Assembles physical lines into CSV records and parses each with papaparse. Line-based assembly keeps an exact
 * line number per record and lets a row with an unterminated quote be rejected on its own instead of swallowing
 * the rest of the file.
 */
export async function* assembleRecords(
  lines: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<CsvItem> {
  let pending: Array<[number, string]> = [];
  let quotes = 0;
  // Lines given back after a broken record are read again before new ones.
  const replay: Array<[number, string]> = [];
  let lineNo = 0;

  async function* numbered(): AsyncGenerator<[number, string]> {
    for await (const raw of lines) {
      lineNo++;
      yield [lineNo, lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw];
      while (replay.length > 0) yield replay.shift() as [number, string];
    }
    while (replay.length > 0) yield replay.shift() as [number, string];
  }

  const finish = (): CsvItem | undefined => {
    const text = pending.map(([, l]) => l).join("\n");
    const start = pending[0]?.[0] ?? lineNo;
    const parsed = parseRecord(text);
    if ("fields" in parsed) {
      pending = [];
      quotes = 0;
      return { kind: "record", line: start, fields: parsed.fields };
    }
    // A stray quote can pull valid lines into a block that fails as a whole: blame its first line only.
    if (pending.length > 1) return giveUpOnFirst(parsed.error);
    pending = [];
    quotes = 0;
    return { kind: "broken", line: start, reason: parsed.error, raw: text };
  };

  const giveUpOnFirst = (reason: string): CsvItem | undefined => {
    const [first, ...rest] = pending;
    replay.unshift(...rest);
    pending = [];
    quotes = 0;
    return first && { kind: "broken", line: first[0], reason, raw: first[1] };
  };

  const feed = (n: number, rawLine: string): CsvItem | undefined => {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (pending.length === 0 && line.trim() === "") return undefined;
    pending.push([n, line]);
    quotes += countQuotes(line);
    if (quotes % 2 === 0) return finish();
    if (pending.length >= MAX_RECORD_LINES) return giveUpOnFirst("broken quoting: unterminated quoted field");
    return undefined;
  };

  for await (const [n, line] of numbered()) {
    const item = feed(n, line);
    if (item) yield item;
  }
  // End of input inside an open quote: reject the first line, give the rest a second chance.
  while (pending.length > 0) {
    const broken = giveUpOnFirst("broken quoting: unterminated quoted field at end of file");
    if (broken) yield broken;
    while (replay.length > 0) {
      const [n, line] = replay.shift() as [number, string];
      const item = feed(n, line);
      if (item) yield item;
    }
  }
}

export interface CsvSource {
  /** Bytes of the file on disk (compressed size for .gz). */
  size: number;
  /** Bytes read from disk so far, for progress. */
  bytesRead(): number;
  items: AsyncGenerator<CsvItem>;
}

function isGzip(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** Streams a CSV (or .csv.gz) file as records; memory stays bounded by the longest record. */
export function openCsv(path: string): CsvSource {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new SpotivecError("FILE_NOT_FOUND", `Cannot read ${path}`, {
      expected: "a readable CSV file (optionally .csv.gz)",
      got: `no file at ${path}`,
      hint: "Check the path; the Spotify CSVs are usually called dataset.csv, tracks.csv and artists.csv.",
    });
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const text: Readable = isGzip(path) ? file.pipe(createGunzip()) : file;
  text.setEncoding("utf8");
  const rl = createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY });
  const items = (async function* () {
    try {
      yield* assembleRecords(rl);
    } finally {
      rl.close();
      file.destroy();
    }
  })();
  return { size, bytesRead: () => file.bytesRead, items };
}
