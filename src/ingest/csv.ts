import { accessSync, constants, createReadStream, openSync, statSync } from "node:fs";
import { basename } from "node:path";
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { SpotivecError } from "../domain/errors.js";
import { splitLines } from "./lines.js";
import { type AssembleOptions, assembleRecords, type CsvItem } from "./records.js";

export { MAX_RECORD_CHARS, type PhysicalLine, RAW_PREVIEW_CHARS, splitLines } from "./lines.js";
export {
  type AssembleOptions,
  assembleRecords,
  type CsvBroken,
  type CsvItem,
  type CsvRecord,
  MAX_RECORD_LINES,
} from "./records.js";

export interface CsvSource {
  /** Bytes of the file on disk (compressed size for .gz). */
  size: number;
  /** Bytes read from disk so far, for progress. */
  bytesRead(): number;
  /** The records; a fault while reading (unreadable, corrupt gzip) is thrown here as FILE_UNREADABLE or FILE_CORRUPT. */
  items: AsyncGenerator<CsvItem>;
}

export interface OpenCsvOptions extends AssembleOptions {
  /** Opens the file, returning its descriptor (default: fs.openSync). Tests replace it to simulate a refusal. */
  openFile?: (path: string) => number;
}

function isGzip(path: string): boolean {
  return /\.gz$/i.test(path);
}

const CSV_EXPECTED = "a readable CSV file (optionally .csv.gz)";

function where(afterLine: number | undefined): string {
  if (afterLine === undefined) return "";
  return afterLine === 0 ? " before the first line" : ` after line ${afterLine}`;
}

/** A zlib fault as FILE_CORRUPT: not gzip at all, cut short, or damaged. */
function gzipError(path: string, error: Error, afterLine: number | undefined): SpotivecError {
  const zlib = `zlib: ${error.message}`;
  if (/incorrect header check/i.test(error.message)) {
    return new SpotivecError("FILE_CORRUPT", `${path} is not gzip data`, {
      expected: "a gzip-compressed CSV (the name ends in .gz)",
      got: `bytes that are not gzip (${zlib})`,
      hint: `If it is a plain CSV, rename it without .gz (${basename(path).replace(/\.gz$/i, "")}); otherwise download it again.`,
    });
  }
  const truncated = /unexpected end of file/i.test(error.message);
  return new SpotivecError(
    "FILE_CORRUPT",
    `${path}: ${truncated ? "the gzip data ends early" : "the gzip data is damaged"}${where(afterLine)}`,
    {
      expected: "a complete gzip-compressed CSV",
      got: `${truncated ? "a truncated file" : "corrupt compressed data"} (${zlib})`,
      hint: truncated
        ? "The file was probably cut short while downloading or copying: get it again (or unpack it and give the .csv)."
        : "Download the file again, or unpack it and give the .csv.",
    },
  );
}

/**
 * The error to show for a failure to open or read `path`: FILE_NOT_FOUND, FILE_UNREADABLE (a directory, no
 * permission, an I/O error) or FILE_CORRUPT (gzip); anything else is returned unchanged.
 */
export function fileError(path: string, error: unknown, afterLine?: number): unknown {
  if (error instanceof SpotivecError || !(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (code.startsWith("Z_")) return gzipError(path, error, afterLine);
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new SpotivecError("FILE_NOT_FOUND", `Cannot read ${path}`, {
      expected: CSV_EXPECTED,
      got: `no file at ${path}`,
      hint: "Check the path; the Spotify CSVs are usually called dataset.csv, tracks.csv and artists.csv.",
    });
  }
  if (code === "EISDIR") {
    return new SpotivecError("FILE_UNREADABLE", `Cannot read ${path}: it is a directory`, {
      expected: CSV_EXPECTED,
      got: "a directory",
      hint: `Name the CSV files in it instead, e.g. spotivec ingest ${path.replace(/\/+$/, "")}/*.csv`,
    });
  }
  if (code === "EACCES" || code === "EPERM") {
    return new SpotivecError("FILE_UNREADABLE", `Cannot read ${path}: permission denied`, {
      expected: CSV_EXPECTED,
      got: `a file this user may not read (${code})`,
      hint: "Make it readable (chmod u+r), or copy it somewhere you can read it.",
    });
  }
  if (/^E[A-Z]+$/.test(code)) {
    return new SpotivecError("FILE_UNREADABLE", `Cannot read ${path}${where(afterLine)}`, {
      expected: CSV_EXPECTED,
      got: `${code}: ${error.message}`,
      hint: "Check the file and the disk it is on, then run the ingest again: rows already stored are kept.",
    });
  }
  return error;
}

/** Fails fast, before a database is opened or created, on a path that is missing, a directory or unreadable. */
export function checkReadable(paths: readonly string[]): void {
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: "EISDIR" });
      accessSync(path, constants.R_OK);
    } catch (e) {
      throw fileError(path, e);
    }
  }
}

/** Opens the file for reading, refusing a directory before any read; errors come out as fileError's. */
function openFile(path: string, options: OpenCsvOptions): { fd: number; size: number } {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: "EISDIR" });
    return { fd: (options.openFile ?? ((p) => openSync(p, "r")))(path), size: stat.size };
  } catch (e) {
    throw fileError(path, e);
  }
}

/**
 * Streams a CSV (or .csv.gz) file as records. Memory stays bounded by the longest record allowed
 * (MAX_RECORD_CHARS), however long a line is; a fault while reading ends the records with a SpotivecError that
 * says after which line it happened, the records before it having been delivered.
 */
export function openCsv(path: string, options: OpenCsvOptions = {}): CsvSource {
  const { fd, size } = openFile(path, options);
  const file = createReadStream(path, { fd, highWaterMark: 1 << 20 });
  const text: Readable = isGzip(path) ? pipeline(file, createGunzip(), () => {}) : file;
  text.setEncoding("utf8");
  const items = (async function* () {
    let lastLine = 0;
    try {
      for await (const item of assembleRecords(splitLines(text, options.maxRecordChars), options)) {
        lastLine = item.endLine;
        yield item;
      }
    } catch (e) {
      throw fileError(path, e, lastLine);
    } finally {
      text.destroy();
      file.destroy();
    }
  })();
  return { size, bytesRead: () => file.bytesRead, items };
}
