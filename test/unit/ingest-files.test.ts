import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { createHashEmbedder } from "../../src/embed/embedder.js";
import { type CsvItem, fileError, openCsv } from "../../src/ingest/csv.js";
import { ingest } from "../../src/ingest/pipeline.js";
import { openStore, type Store } from "../../src/store/store.js";
import { tempDir, writeGeneratedCatalog } from "../helpers.js";

/** Reads every item; returns them with the error that ended the reading, if any. */
async function drain(items: AsyncIterable<CsvItem>): Promise<{ items: CsvItem[]; error: unknown }> {
  const out: CsvItem[] = [];
  try {
    for await (const item of items) out.push(item);
  } catch (error) {
    return { items: out, error };
  }
  return { items: out, error: undefined };
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

const eacces = () => {
  throw errno("EACCES", "EACCES: permission denied, open 'x.csv'");
};

describe("fileError: a failure to open or read, mapped to its code", () => {
  it.each([
    ["ENOENT", "FILE_NOT_FOUND", /no file at/],
    ["EISDIR", "FILE_UNREADABLE", /directory/],
    ["EACCES", "FILE_UNREADABLE", /may not read/],
    ["EPERM", "FILE_UNREADABLE", /may not read/],
    ["EIO", "FILE_UNREADABLE", /EIO/],
  ])("%s -> %s", (code, expected, got) => {
    const e = fileError("x.csv", errno(code, `${code}: failed`));
    expect(e).toBeInstanceOf(SpotivecError);
    const error = e as SpotivecError;
    expect(error.code).toBe(expected);
    expect(error.message).toContain("x.csv");
    expect(error.expected).not.toBe("");
    expect(error.got).toMatch(got);
    expect(error.hint).not.toBe("");
  });

  it.each([
    ["Z_DATA_ERROR", "incorrect header check", /not gzip/],
    ["Z_BUF_ERROR", "unexpected end of file", /ends early after line 7/],
    ["Z_DATA_ERROR", "invalid block type", /damaged after line 7/],
  ])("gzip %s (%s) -> FILE_CORRUPT", (code, message, summary) => {
    const e = fileError("x.csv.gz", errno(code, message), 7) as SpotivecError;
    expect(e.code).toBe("FILE_CORRUPT");
    expect(e.message).toMatch(summary);
    expect(e.got).toContain(message);
  });

  it("passes through what it does not know", () => {
    const odd = new TypeError("odd");
    expect(fileError("x.csv", odd)).toBe(odd);
  });
});

describe("openCsv on unreadable and corrupt inputs", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("spotivec-files-");
  });

  it("refuses a directory up front with FILE_UNREADABLE", () => {
    const sub = join(dir, "data");
    mkdirSync(sub);
    let error: unknown;
    try {
      openCsv(sub);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "FILE_UNREADABLE", got: "a directory" });
  });

  it("refuses a file it may not open (EACCES, simulated through the open call)", () => {
    const path = join(dir, "t.csv");
    writeFileSync(path, "a,b\n1,2\n");
    let error: unknown;
    try {
      openCsv(path, { openFile: eacces });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpotivecError);
    expect(error).toMatchObject({
      code: "FILE_UNREADABLE",
      message: expect.stringContaining("permission denied"),
    });
  });

  it.skipIf(process.getuid?.() === 0)("refuses a file without read permission (as a non-root user)", () => {
    const path = join(dir, "locked.csv");
    writeFileSync(path, "a,b\n1,2\n");
    chmodSync(path, 0o000);
    expect(() => openCsv(path)).toThrow(expect.objectContaining({ code: "FILE_UNREADABLE" }));
  });

  it("delivers the records before a truncated gzip ends, then throws FILE_CORRUPT after the last one", async () => {
    const csv = join(dir, "full.csv");
    writeGeneratedCatalog(csv, 3000);
    const text = readFileSync(csv, "utf8");
    const gz = gzipSync(text);
    const path = join(dir, "cut.csv.gz");
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { items, error } = await drain(openCsv(path).items);
    expect(items.length).toBeGreaterThan(100);
    expect(items.length).toBeLessThan(3001);
    const lines = text.split("\n");
    for (const item of items) expect(item).toMatchObject({ kind: "record", raw: lines[item.line - 1] });
    expect(error).toBeInstanceOf(SpotivecError);
    expect(error).toMatchObject({
      code: "FILE_CORRUPT",
      message: expect.stringContaining(`ends early after line ${items.at(-1)?.line}`),
    });
  });

  it("throws FILE_CORRUPT for a .csv.gz that is not gzip at all", async () => {
    const path = join(dir, "plain.csv.gz");
    writeFileSync(path, "a,b\n1,2\n");
    const { items, error } = await drain(openCsv(path).items);
    expect(items).toEqual([]);
    expect(error).toMatchObject({ code: "FILE_CORRUPT", hint: expect.stringContaining("plain.csv") });
  });

  it("throws FILE_CORRUPT for damaged gzip data", async () => {
    const path = join(dir, "bad.csv.gz");
    const gz = Buffer.from(gzipSync(Buffer.from(`a,b\n${"1,2\n".repeat(5000)}`)));
    for (let i = 20; i < gz.length - 20; i += 7) gz[i] = (gz[i] as number) ^ 0x5a;
    writeFileSync(path, gz);
    const { error } = await drain(openCsv(path).items);
    expect(error).toMatchObject({ code: "FILE_CORRUPT" });
  });
});

describe("ingest keeps what it read before a fault", () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = tempDir("spotivec-fault-");
    store = openStore(":memory:");
  });
  afterEach(() => store.close());

  const run = (files: string[], csv = {}) =>
    ingest({ files, store, embedder: createHashEmbedder(), rejectsPath: join(dir, "r.rejects.jsonl"), csv });

  it("stores the 100 rows before a truncated gzip and says so in the error", async () => {
    const head = join(dir, "head.csv");
    writeGeneratedCatalog(head, 100);
    // A second gzip member that is cut short and holds no complete line: exactly 100 rows can be read.
    const tail = gzipSync(`100,${"partial row ".repeat(5000)}`);
    const path = join(dir, "cut.csv.gz");
    writeFileSync(path, Buffer.concat([gzipSync(readFileSync(head)), tail.subarray(0, tail.length >> 1)]));
    const error = await run([path]).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "FILE_CORRUPT",
      message: expect.stringMatching(
        /ends early after line 101; the 100 valid rows read before it were stored/,
      ),
    });
    expect(store.stats().tracks).toBe(100);
  });

  it("reports EACCES from the open call as FILE_UNREADABLE and writes nothing", async () => {
    const path = join(dir, "t.csv");
    writeGeneratedCatalog(path, 3);
    const error = await run([path], { openFile: eacces }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "FILE_UNREADABLE" });
    expect(store.stats().tracks).toBe(0);
  });

  it("with a small record bound, rejects a few-MB line and keeps the rows around it", async () => {
    const path = join(dir, "long.csv");
    writeGeneratedCatalog(path, 100);
    const more = join(dir, "more.csv");
    const ids = writeGeneratedCatalog(more, 103).slice(100);
    const after = readFileSync(more, "utf8").trim().split("\n").slice(101).join("\n");
    writeFileSync(path, `${readFileSync(path, "utf8")}${"Z".repeat(4 << 20)}\n${after}\n`);
    const summary = await run([path], { maxRecordChars: 4096 });
    expect(summary.rowsRead).toBe(104);
    expect(summary.rejected).toBe(1);
    expect(summary.tracks.inserted).toBe(103);
    expect(store.stats().tracks).toBe(103);
    expect(ids).toHaveLength(3);
    const rejects = readFileSync(join(dir, "r.rejects.jsonl"), "utf8").trim().split("\n");
    expect(rejects).toHaveLength(1);
    expect(JSON.parse(rejects[0] as string)).toMatchObject({
      line: 102,
      reason: expect.stringContaining(`line 102 has ${4 << 20} characters, over the limit of 4096`),
    });
  });

  it("does not touch the previous rejects file when a file cannot be read", async () => {
    const rejects = join(dir, "r.rejects.jsonl");
    writeFileSync(rejects, "previous run\n");
    const sub = join(dir, "folder");
    mkdirSync(sub);
    await expect(run([sub])).rejects.toMatchObject({ code: "FILE_UNREADABLE" });
    expect(readFileSync(rejects, "utf8")).toBe("previous run\n");
    expect(existsSync(rejects)).toBe(true);
  });
});
