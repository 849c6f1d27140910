import Papa from "papaparse";
import { MAX_RECORD_CHARS, type PhysicalLine, RAW_PREVIEW_CHARS } from "./lines.js";

/** A parsed CSV record, with the 1-based physical lines it spans and its exact text as read. */
export interface CsvRecord {
  kind: "record";
  line: number;
  endLine: number;
  fields: string[];
  /** The line(s) exactly as read, with their inner line breaks; the last line break is left out. */
  raw: string;
}

/** A record that could not be parsed (broken quoting, too long); reading goes on after it. */
export interface CsvBroken {
  kind: "broken";
  line: number;
  endLine: number;
  reason: string;
  /** The line exactly as read; for a line over the length bound, only its first RAW_PREVIEW_CHARS characters. */
  raw: string;
}

export type CsvItem = CsvRecord | CsvBroken;

/** A quoted field may span lines, but a quote left open this long is a broken row, not a long field. */
export const MAX_RECORD_LINES = 20;

export interface AssembleOptions {
  /** The longest record, in characters (default MAX_RECORD_CHARS). */
  maxRecordChars?: number;
  /** The most lines a quoted field may span (default MAX_RECORD_LINES; lyrics files need more). */
  maxRecordLines?: number;
}

interface Line extends PhysicalLine {
  n: number;
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++;
  return n;
}

function parseRecord(text: string): { fields: string[] } | { error: string } {
  const result = Papa.parse<string[]>(text, { delimiter: ",", newline: "\n", quoteChar: '"' });
  const error = result.errors[0];
  if (error) return { error: error.message };
  const fields = result.data[0];
  if (!fields || result.data.length !== 1) return { error: "the lines do not parse as one record" };
  return { fields };
}

/** A line given as a plain string (as in tests): a trailing "\r" is its CRLF break; too long is marked. */
function asLine(input: string | PhysicalLine, max: number): PhysicalLine {
  const line =
    typeof input === "string"
      ? input.endsWith("\r")
        ? { text: input.slice(0, -1), eol: "\r\n" }
        : { text: input, eol: "\n" }
      : input;
  if (line.length === undefined && line.text.length > max)
    return { text: line.text.slice(0, RAW_PREVIEW_CHARS), eol: line.eol, length: line.text.length };
  return line;
}

/** The lines' exact text: each inner line break as it was read. */
function rawText(lines: readonly Line[]): string {
  if (lines.length === 1) return (lines[0] as Line).text;
  return lines.map((l, i) => (i === lines.length - 1 ? l.text : l.text + l.eol)).join("");
}

const tooLongReason = (line: Line, max: number) =>
  `record too long: line ${line.n} has ${line.length} characters, over the limit of ${max}; skipped (raw holds its first ${RAW_PREVIEW_CHARS})`;

const cutReason = (start: number, cutAt: number, why: string) =>
  `broken quoting: unterminated quoted field starting at line ${start}; the record was cut at line ${cutAt} (${why})`;

const brokenLine = (line: Line, reason: string): CsvBroken => ({
  kind: "broken",
  line: line.n,
  endLine: line.n,
  reason,
  raw: line.text,
});

/** The record being assembled from lines, and the lines to read again after a broken one. */
class Assembler {
  private pending: Line[] = [];
  private pendingChars = 0;
  private quotes = 0;
  /** Lines given back after a broken record: read again before new ones. */
  readonly replay: Line[] = [];

  constructor(
    private readonly max: number,
    private readonly maxLines = MAX_RECORD_LINES,
  ) {}

  get open(): boolean {
    return this.pending.length > 0;
  }

  feed(line: Line): CsvItem | undefined {
    const { pending, max } = this;
    if (line.length !== undefined) {
      if (pending.length === 0) return brokenLine(line, tooLongReason(line, max));
      // An open quote ran into an over-long line: cut the record there; the long line is read again on its own.
      pending.push(line);
      return this.giveUpOnFirst(line.n, `line ${line.n} is over the limit of ${max} characters`);
    }
    if (pending.length === 0 && line.text.trim() === "") return undefined;
    pending.push(line);
    this.pendingChars += line.text.length + (pending.length > 1 ? 1 : 0);
    this.quotes += countQuotes(line.text);
    if (this.quotes % 2 === 0) return this.finish();
    if (this.pendingChars > max)
      return this.giveUpOnFirst(line.n, `a record may hold at most ${max} characters`);
    if (pending.length >= this.maxLines)
      return this.giveUpOnFirst(line.n, `a quoted field may span at most ${this.maxLines} lines`);
    return undefined;
  }

  /** End of input inside an open quote: the first line is rejected, the rest given a second chance. */
  endOfFile(): CsvItem | undefined {
    const last = this.pending[this.pending.length - 1];
    return last && this.giveUpOnFirst(last.n, "end of file");
  }

  private finish(): CsvItem | undefined {
    const pending = this.pending;
    const first = pending[0] as Line;
    const last = pending[pending.length - 1] as Line;
    const parsed = parseRecord(pending.map((l) => l.text).join("\n"));
    if ("fields" in parsed) {
      this.reset();
      return { kind: "record", line: first.n, endLine: last.n, fields: parsed.fields, raw: rawText(pending) };
    }
    // A stray quote can pull valid lines into a block that fails as a whole: blame its first line only.
    if (pending.length > 1)
      return this.giveUpOnFirst(last.n, `the lines up to there do not parse as one record: ${parsed.error}`);
    this.reset();
    return brokenLine(first, `broken quoting: ${parsed.error}`);
  }

  /** Rejects the first pending line as an open quote cut at line `cutAt`; the others are read again. */
  private giveUpOnFirst(cutAt: number, why: string): CsvItem | undefined {
    const [first, ...rest] = this.pending;
    this.replay.unshift(...rest);
    this.reset();
    return first && brokenLine(first, cutReason(first.n, cutAt, why));
  }

  private reset(): void {
    this.pending = [];
    this.pendingChars = 0;
    this.quotes = 0;
  }
}

/**
 * Assembles physical lines into CSV records and parses each with papaparse. Line-based assembly keeps an exact
 * line number per record and lets a row with an unterminated quote be rejected on its own instead of swallowing
 * the rest of the file; a record is bounded in lines (MAX_RECORD_LINES or maxRecordLines) and in characters (maxRecordChars).
 */
export async function* assembleRecords(
  lines: AsyncIterable<string | PhysicalLine> | Iterable<string | PhysicalLine>,
  options: AssembleOptions = {},
): AsyncGenerator<CsvItem> {
  const max = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const records = new Assembler(max, options.maxRecordLines);
  const { replay } = records;
  let lineNo = 0;
  async function* numbered(): AsyncGenerator<Line> {
    for await (const input of lines) {
      lineNo++;
      const line = asLine(input, max);
      yield { ...line, n: lineNo, text: lineNo === 1 ? line.text.replace(/^\uFEFF/, "") : line.text };
      while (replay.length > 0) yield replay.shift() as Line;
    }
    while (replay.length > 0) yield replay.shift() as Line;
  }
  for await (const line of numbered()) {
    const item = records.feed(line);
    if (item) yield item;
  }
  while (records.open) {
    const broken = records.endOfFile();
    if (broken) yield broken;
    while (replay.length > 0) {
      const item = records.feed(replay.shift() as Line);
      if (item) yield item;
    }
  }
}
