import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { assembleRecords, type CsvItem, openCsv, splitLines } from "../../src/ingest/csv.js";
import { chunked, tempDir } from "../helpers.js";

// Property tests over the CSV reader: whatever the bytes, it reports every line as part of a record or of a
// rejection, with line numbers inside the file, and never throws anything but a SpotivecError.

const MAX = 64;

/** The physical lines of a text as the reader defines them: breaks at \r\n, \n or a lone \r. */
function physicalLines(text: string): Array<{ text: string; eol: string }> {
  const out: Array<{ text: string; eol: string }> = [];
  const re = /\r\n|\n|\r/g;
  let pos = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(pos, m.index), eol: m[0] });
    pos = m.index + m[0].length;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), eol: "" });
  return out;
}

const piece = fc.oneof(
  fc.constantFrom("a", "b", " ", ",", '"', '""', "\n", "\r\n", "\r", "\uFEFF", "é", "🎵", "\u0000"),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: MAX - 4, max: MAX * 3 }).map((n) => "L".repeat(n)),
);
const text = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(""));
const chunkSizes = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 });

async function read(s: string, sizes: number[]): Promise<CsvItem[]> {
  const out: CsvItem[] = [];
  for await (const item of assembleRecords(splitLines(chunked(s, sizes), MAX), { maxRecordChars: MAX }))
    out.push(item);
  return out;
}

describe("CSV reader properties", () => {
  it("splitLines gives back the exact text, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(text, chunkSizes, async (s, sizes) => {
        const lines = [];
        for await (const l of splitLines(chunked(s, sizes), 1 << 20)) lines.push(l);
        expect(lines.map((l) => l.text + l.eol).join("")).toBe(s);
        expect(lines).toEqual(physicalLines(s));
      }),
      { numRuns: 300 },
    );
  });

  it("covers every non-blank line by exactly one record or rejection, in order, within the file", async () => {
    await fc.assert(
      fc.asyncProperty(text, chunkSizes, async (s, sizes) => {
        const lines = physicalLines(s);
        const items = await read(s, sizes);
        const covered = new Set<number>();
        let previousEnd = 0;
        for (const item of items) {
          expect(item.line).toBeGreaterThan(previousEnd);
          expect(item.endLine).toBeGreaterThanOrEqual(item.line);
          expect(item.endLine).toBeLessThanOrEqual(lines.length);
          for (let n = item.line; n <= item.endLine; n++) covered.add(n);
          previousEnd = item.endLine;
          const own = lines.slice(item.line - 1, item.endLine);
          const exact = own.map((l, i) => (i === own.length - 1 ? l.text : l.text + l.eol)).join("");
          const unBom = item.line === 1 ? exact.replace(/^\uFEFF/, "") : exact;
          if (item.kind === "record") {
            expect(item.raw).toBe(unBom);
            expect(item.raw.length).toBeLessThanOrEqual(MAX);
          } else {
            expect(item.endLine).toBe(item.line);
            expect(unBom.startsWith(item.raw)).toBe(true);
            expect(item.reason).not.toBe("");
          }
        }
        lines.forEach((l, i) => {
          const blank = (i === 0 ? l.text.replace(/^\uFEFF/, "") : l.text).trim() === "";
          if (!covered.has(i + 1))
            expect(blank, `line ${i + 1} ${JSON.stringify(l.text)} was lost`).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("reads the same items however the stream is chunked", async () => {
    await fc.assert(
      fc.asyncProperty(text, chunkSizes, async (s, sizes) => {
        expect(await read(s, sizes)).toEqual(await read(s, [1 << 16]));
      }),
      { numRuns: 200 },
    );
  });

  it("on random bytes, plain or gzip (whole, truncated or not gzip), throws only SpotivecErrors", async () => {
    const dir = tempDir("spotivec-fuzz-");
    let n = 0;
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      text.map((s) => new Uint8Array(Buffer.from(s, "utf8"))),
    );
    const kind = fc.constantFrom("csv", "gz", "gz-cut", "gz-fake");
    await fc.assert(
      fc.asyncProperty(bytes, kind, async (data, k) => {
        const path = join(dir, `f${n++}.${k === "csv" ? "csv" : "csv.gz"}`);
        const gz = gzipSync(data);
        const content =
          k === "csv" || k === "gz-fake"
            ? data
            : k === "gz"
              ? gz
              : gz.subarray(0, Math.max(1, gz.length - 6));
        writeFileSync(path, content);
        try {
          let last = 0;
          for await (const item of openCsv(path, { maxRecordChars: MAX }).items) {
            expect(item.line).toBeGreaterThan(last);
            last = item.endLine;
          }
        } catch (e) {
          expect(e).toBeInstanceOf(SpotivecError);
        }
      }),
      { numRuns: 150 },
    );
  });
});
