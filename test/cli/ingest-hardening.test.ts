import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../src/domain/errors.js";
import type { IngestSummary, Rejection } from "../../src/ingest/pipeline.js";
import { openStore } from "../../src/store/store.js";
import { cli, tempDir, writeFixtures, writeGeneratedCatalog } from "../helpers.js";

// Bad inputs given to `spotivec ingest` as a user would: each ends in a clear error or a reported rejection,
// and nothing read before the fault is lost.

const ingestJson = (files: string[], db: string) =>
  cli(["ingest", ...files, "--db", db, "--model", "hash", "--json"]);

function rejectsOf(db: string): Rejection[] {
  return readFileSync(db.replace(/\.db$/, ".rejects.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Rejection);
}

function trackCount(db: string): number {
  const store = openStore(db);
  try {
    return store.stats().tracks;
  } finally {
    store.close();
  }
}

/** An error run: exit 1, the error as JSON with expected, got and hint, and no stack trace anywhere. */
function expectCleanError(r: Awaited<ReturnType<typeof cli>>, code: string): ErrorBody {
  expect(r.code).toBe(1);
  const e = r.json<{ error: ErrorBody }>().error;
  expect(e.code).toBe(code);
  expect(e.expected).toBeTruthy();
  expect(e.got).toBeTruthy();
  expect(e.hint).toBeTruthy();
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/internal error|\n\s+at |please report/i);
  return e;
}

describe("ingest: rows whose field count differs from the header", () => {
  it("rejects a row with one more field before track_genre, a trailing extra field, and one field fewer", async () => {
    const dir = tempDir();
    const csv = join(dir, "extra.csv");
    writeGeneratedCatalog(csv, 5);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    const shifted = (line: string) => line.replace(/,([a-z-]+)$/, ",extra,$1");
    lines[2] = shifted(lines[2] as string); // one more field before track_genre: would be stored with genre "extra"
    lines[3] = `${lines[3]},surplus`; // a trailing extra field
    lines[4] = (lines[4] as string).replace(/,[^,]*$/, ""); // one field fewer
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const db = join(dir, "x.db");
    const r = await ingestJson([csv], db);
    expect(r.code).toBe(0);
    const summary = r.json<IngestSummary>();
    expect(summary.rejected).toBe(3);
    expect(summary.tracks.inserted).toBe(2);
    const rejects = rejectsOf(db);
    expect(rejects.map((x) => [x.line, x.reason])).toEqual([
      [3, "expected 21 fields, got 22"],
      [4, "expected 21 fields, got 22"],
      [5, "expected 21 fields, got 20"],
    ]);
    expect(rejects.every((x) => x.file === csv)).toBe(true);
    const genres = await cli(["search", "--genre", "extra", "--db", db, "--json"]);
    expect(genres.code).not.toBe(0);
  });
});

describe("ingest: unreadable inputs", () => {
  it("refuses a directory with FILE_UNREADABLE, exit 1, no stack", async () => {
    const dir = tempDir();
    const sub = join(dir, "folder");
    mkdirSync(sub);
    const e = expectCleanError(await ingestJson([sub], join(dir, "d.db")), "FILE_UNREADABLE");
    expect(e.got).toBe("a directory");
    // Checked before the database is opened: no empty database is left behind.
    expect(existsSync(join(dir, "d.db"))).toBe(false);
  });

  it("refuses a .csv.gz that is not gzip with FILE_CORRUPT", async () => {
    const dir = tempDir();
    const fx = writeFixtures(dir);
    const fake = join(dir, "dataset.csv.gz");
    writeFileSync(fake, readFileSync(fx.dataset114k));
    const e = expectCleanError(await ingestJson([fake], join(dir, "g.db")), "FILE_CORRUPT");
    expect(e.hint).toContain("rename it");
  });

  it("stores the 100 valid rows before a truncated gzip, and the error says so", async () => {
    const dir = tempDir();
    const head = join(dir, "head.csv");
    writeGeneratedCatalog(head, 100);
    const tail = gzipSync(`100,${"cut off mid row ".repeat(4000)}`);
    const path = join(dir, "dataset.csv.gz");
    writeFileSync(path, Buffer.concat([gzipSync(readFileSync(head)), tail.subarray(0, tail.length >> 1)]));
    const db = join(dir, "t.db");
    const e = expectCleanError(await ingestJson([path], db), "FILE_CORRUPT");
    expect(e.message).toContain("ends early after line 101; the 100 valid rows read before it were stored");
    expect(trackCount(db)).toBe(100);
  });

  it("stores the rows of a corrupt gzip's intact start, then finishes them on the next run with a good copy", async () => {
    const dir = tempDir();
    const csv = join(dir, "full.csv");
    writeGeneratedCatalog(csv, 1200);
    const gz = gzipSync(readFileSync(csv));
    const cut = join(dir, "cut.csv.gz");
    writeFileSync(cut, gz.subarray(0, gz.length >> 1));
    const db = join(dir, "c.db");
    const e = expectCleanError(await ingestJson([cut], db), "FILE_CORRUPT");
    const stored = Number(/the (\d+) valid rows/.exec(e.message)?.[1]);
    expect(stored).toBeGreaterThan(100);
    expect(trackCount(db)).toBe(stored);
    const good = join(dir, "good.csv.gz");
    writeFileSync(good, gz);
    const again = await ingestJson([good], db);
    expect(again.code).toBe(0);
    expect(again.json<IngestSummary>().tracks).toMatchObject({ inserted: 1200 - stored, unchanged: stored });
  });
});

describe("ingest: a record with no line break", () => {
  it("rejects a line over 1 MiB with its line and reason, and stores the 100 rows before it", async () => {
    const dir = tempDir();
    const csv = join(dir, "tail.csv");
    writeGeneratedCatalog(csv, 100);
    writeFileSync(csv, `${readFileSync(csv, "utf8")}${"\u0000".repeat(1_500_000)}`);
    const db = join(dir, "l.db");
    const r = await ingestJson([csv], db);
    expect(r.code).toBe(0);
    const summary = r.json<IngestSummary>();
    expect(summary).toMatchObject({ rowsRead: 101, rejected: 1, tracks: { inserted: 100 } });
    const [reject] = rejectsOf(db);
    expect(reject).toMatchObject({ line: 102, reason: expect.stringContaining("over the limit of 1048576") });
    expect(reject?.raw.length).toBeLessThanOrEqual(200);
    expect(trackCount(db)).toBe(100);
  });
});

describe("ingest: the rejects file", () => {
  it("holds each bad row exactly as read, not its fields joined again", async () => {
    const dir = tempDir();
    const fx = writeFixtures(dir);
    const text = readFileSync(fx.dataset114k, "utf8").trim().split("\n");
    // A row with quoted, comma-holding fields and a bad value, and one spread over two lines with CRLF.
    const quotedRow = text[9]?.replace(",0.75,0.6,100,", ",0.75,1.6,100,") as string;
    const crlfRow =
      '16,0000000000000000000016,"Two\r\nLines",Album,Name,10,180000,False,0.5,0.5,0,-8,1,0.05,0.5,0,0.1,9,120,4,pop';
    text.push(quotedRow, crlfRow);
    writeFileSync(fx.dataset114k, `${text.join("\n")}\n`);
    const db = join(dir, "r.db");
    expect((await ingestJson([fx.dataset114k], db)).code).toBe(0);
    const byLine = new Map(rejectsOf(db).map((x) => [x.line, x]));
    const quoted = byLine.get(text.length - 1);
    expect(quoted?.raw).toBe(quotedRow);
    expect(quoted?.raw).toContain('"Crosby, Stills, Nash & Young"');
    expect(quoted?.raw).toContain('"Our House, ""Live"""');
    expect(byLine.get(text.length)?.raw).toBe(crlfRow);
    expect(byLine.get(text.length)?.raw).toContain("Two\r\nLines");
    // The broken quote on line 15: reported where it starts and where it was cut.
    expect(byLine.get(15)?.reason).toMatch(
      /unterminated quoted field starting at line 15; the record was cut at line/,
    );
  });

  it("rejects an impossible release date such as 1999-13-45, with a reason", async () => {
    const dir = tempDir();
    const fx = writeFixtures(dir);
    const lines = readFileSync(fx.tracks600k, "utf8").trim().split("\n");
    lines.push(
      lines[1]
        ?.replace("6KbQ3uYMLKb5jDxLF7wYDD", "6KbQ3uYMLKb5jDxLF7wY99")
        .replace(",1959,", ",1999-13-45,") as string,
    );
    lines.push(
      lines[1]
        ?.replace("6KbQ3uYMLKb5jDxLF7wYDD", "6KbQ3uYMLKb5jDxLF7wY98")
        .replace(",1959,", ",2001-02-29,") as string,
    );
    writeFileSync(fx.tracks600k, `${lines.join("\n")}\n`);
    const db = join(dir, "d.db");
    expect((await ingestJson([fx.tracks600k], db)).code).toBe(0);
    const byLine = new Map(rejectsOf(db).map((x) => [x.line, x.reason]));
    expect(byLine.get(7)).toMatch(/^release_date: .*"1999-13-45".*no month 13/);
    expect(byLine.get(8)).toMatch(/^release_date: .*"2001-02-29".*no day 29/);
  });

  it("is kept when a later run is refused before reading, and removed only after a clean run", async () => {
    const dir = tempDir();
    const fx = writeFixtures(dir);
    const db = join(dir, "k.db");
    const rejectsPath = join(dir, "k.rejects.jsonl");
    expect((await ingestJson([fx.dataset114k], db)).code).toBe(0);
    const first = readFileSync(rejectsPath, "utf8");
    expect(first).not.toBe("");

    const lyrics = join(dir, "lyrics.csv");
    writeFileSync(lyrics, "artist,song,link,text\nABBA,Hey,/a,lyrics\n");
    expectCleanError(await ingestJson([lyrics], db), "UNKNOWN_LAYOUT");
    expect(readFileSync(rejectsPath, "utf8")).toBe(first);
    const folder = join(dir, "folder");
    mkdirSync(folder);
    expectCleanError(await ingestJson([folder], db), "FILE_UNREADABLE");
    expect(readFileSync(rejectsPath, "utf8")).toBe(first);

    // A run with its own rejects replaces the file; a clean run removes it.
    expect((await ingestJson([fx.tracks600k], db)).code).toBe(0);
    expect(rejectsOf(db).every((x) => x.file === fx.tracks600k)).toBe(true);
    const clean = join(dir, "clean.csv");
    writeGeneratedCatalog(clean, 3);
    expect((await ingestJson([clean], db)).code).toBe(0);
    expect(existsSync(rejectsPath)).toBe(false);
  });
});
