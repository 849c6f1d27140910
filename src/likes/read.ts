/** Likes files read as a stream of lines: memory stays flat whatever the size (Spotify's JSON export aside). */
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from "node:fs";
import { SpotivecError } from "../domain/errors.js";
import {
  createLineParser,
  detectLikesFormat,
  type LikeItem,
  type LikesFormat,
  linesFormatError,
  parseLikeItems,
} from "./parse.js";

/** Spotify's JSON export is parsed whole; larger files than this are refused. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Bytes read to detect the format. */
const HEAD_BYTES = 64 * 1024;

function unreadable(path: string, why: string): SpotivecError {
  return new SpotivecError("FILE_UNREADABLE", `Cannot read the likes file ${path}`, {
    expected: "a likes file: lines, a playlist CSV, Spotify's YourLibrary.json or a Markdown list",
    got: why,
  });
}

/** The file's size, or the error that says why it cannot be read. */
function checkFile(path: string): number {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw unreadable(path, `${path} is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof SpotivecError) throw e;
    throw new SpotivecError("FILE_NOT_FOUND", `Cannot read the likes file ${path}`, {
      expected: "a likes file: lines, a playlist CSV, Spotify's YourLibrary.json or a Markdown list",
      got: `no readable file at ${path}`,
      hint: "Check the path.",
    });
  }
  return size;
}

function readHead(path: string): string {
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n).toString("utf8");
  } catch (e) {
    throw unreadable(path, e instanceof Error ? e.message : String(e));
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export interface LikesSource {
  path: string;
  format: LikesFormat;
  size: number;
}

/** Checks the file and detects its format from the name and the first bytes. */
export function openLikes(path: string): LikesSource {
  const size = checkFile(path);
  const format = detectLikesFormat(path, readHead(path));
  if (format === "spotify-library" && size > MAX_JSON_BYTES) {
    throw new SpotivecError("LIKES_FORMAT", `${path} is too large to read as Spotify's JSON export`, {
      expected: `a YourLibrary.json of at most ${MAX_JSON_BYTES / 1024 / 1024} MiB (it is read whole)`,
      got: `${Math.round(size / 1024 / 1024)} MiB`,
      hint: "Split it, or convert it to one Artist - Title (or track URI) per line, which is read as a stream.",
    });
  }
  return { path, format, size };
}

/**
 * The file's items, in batches of about `batch` (a line may add more than one): line formats are parsed as the bytes arrive (one chunk of the
 * file in memory at a time); the JSON export is parsed whole.
 */
export async function* likeItems(source: LikesSource, batch = 5000): AsyncGenerator<LikeItem[]> {
  if (source.format === "spotify-library") {
    const items = parseLikeItems(readFileSync(source.path, "utf8"), source.path, source.format);
    for (let i = 0; i < items.length; i += batch) yield items.slice(i, i + batch);
    return;
  }
  const parser = createLineParser(source.format, source.path);
  let out: LikeItem[] = [];
  const emit = (item: LikeItem) => out.push(item);
  let line = 0;
  let rest = "";
  const stream = createReadStream(source.path, { encoding: "utf8", highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) {
        parser.push(p.endsWith("\r") ? p.slice(0, -1) : p, ++line, emit);
        if (out.length >= batch) {
          yield out;
          out = [];
        }
      }
    }
  } catch (e) {
    if (e instanceof SpotivecError) throw e;
    throw unreadable(source.path, e instanceof Error ? e.message : String(e));
  } finally {
    stream.destroy();
  }
  if (rest !== "") parser.push(rest.endsWith("\r") ? rest.slice(0, -1) : rest, ++line, emit);
  parser.end(emit);
  if (out.length > 0) yield out;
}

/** What a first pass over the file found: how many entries, and any lines a lines file cannot hold. */
export interface LikesScan {
  entries: number;
  comments: number;
}

/**
 * Reads the file once without resolving anything, so that a file of the wrong shape is refused before anything
 * is written, and progress can show a total. A lines file with lines that are not likes is a LIKES_FORMAT error
 * listing them.
 */
export async function scanLikes(source: LikesSource): Promise<LikesScan> {
  let entries = 0;
  let comments = 0;
  const bad: string[] = [];
  let badCount = 0;
  for await (const items of likeItems(source)) {
    for (const item of items) {
      if (item.kind === "comment") comments++;
      else entries++;
      if (item.kind === "invalid" && source.format === "lines") {
        badCount++;
        if (bad.length < 5) bad.push(`${source.path}:${item.line}: ${item.reason}`);
      }
    }
  }
  if (badCount > 0) throw linesFormatError(source.path, bad, badCount);
  return { entries, comments };
}
