import { describe, expect, it } from "vitest";
import {
  assembleRecords,
  type CsvItem,
  MAX_RECORD_CHARS,
  type PhysicalLine,
  RAW_PREVIEW_CHARS,
  splitLines,
} from "../../src/ingest/csv.js";
import { chunked } from "../helpers.js";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("splitLines", () => {
  it("splits at \\n, \\r\\n and a lone \\r, keeping each break, however the chunks fall", async () => {
    const text = 'a,b\r\n1,"x\r\ny"\n\n2,3\r4,5\r\r\n6';
    const expected: PhysicalLine[] = [
      { text: "a,b", eol: "\r\n" },
      { text: '1,"x', eol: "\r\n" },
      { text: 'y"', eol: "\n" },
      { text: "", eol: "\n" },
      { text: "2,3", eol: "\r" },
      { text: "4,5", eol: "\r" },
      { text: "", eol: "\r\n" },
      { text: "6", eol: "" },
    ];
    for (const sizes of [[text.length], [1], [2], [3, 1], [4, 5, 1]]) {
      expect(await collect(splitLines(chunked(text, sizes)))).toEqual(expected);
    }
  });

  it("gives no empty last line after a final line break", async () => {
    expect(await collect(splitLines(["a\n", "b\r\n"]))).toEqual([
      { text: "a", eol: "\n" },
      { text: "b", eol: "\r\n" },
    ]);
    expect(await collect(splitLines(["a\r"]))).toEqual([{ text: "a", eol: "\r" }]);
    expect(await collect(splitLines([]))).toEqual([]);
  });

  it("streams a line over the bound as its length and start only, then goes on", async () => {
    // 5 MB without a line break, in 64 KiB chunks, between two short lines; the bound is 1,000 characters.
    const chunk = "x".repeat(1 << 16);
    async function* source() {
      yield "first\nyyy";
      for (let i = 0; i < 80; i++) yield chunk;
      yield "zzz\nlast";
    }
    const lines = await collect(splitLines(source(), 1000));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ text: "first", eol: "\n" });
    expect(lines[1]).toEqual({
      text: `yyy${"x".repeat(RAW_PREVIEW_CHARS - 3)}`,
      eol: "\n",
      length: 3 + 80 * (1 << 16) + 3,
    });
    expect(lines[2]).toEqual({ text: "last", eol: "" });
  });

  it("keeps a line of exactly the bound whole", async () => {
    const line = "y".repeat(1000);
    expect(await collect(splitLines(chunked(`${line}\nz`, [300]), 1000))).toEqual([
      { text: line, eol: "\n" },
      { text: "z", eol: "" },
    ]);
  });
});

describe("assembleRecords with a record length bound", () => {
  const header = "id,name";
  const rows = Array.from({ length: 100 }, (_, i) => `${i},track ${i}`);

  async function read(text: string, max: number): Promise<CsvItem[]> {
    return collect(assembleRecords(splitLines(chunked(text, [1 << 16]), max), { maxRecordChars: max }));
  }

  it("rejects an over-long line with its line number and reason, keeping the rows before and after it", async () => {
    const text = `${header}\n${rows.join("\n")}\n${"q".repeat(3_000_000)}\n7,after\n`;
    const items = await read(text, 1000);
    const records = items.filter((i) => i.kind === "record");
    expect(records).toHaveLength(102);
    expect(records.at(-1)).toMatchObject({ line: 103, fields: ["7", "after"] });
    const broken = items.filter((i) => i.kind === "broken");
    expect(broken).toEqual([
      {
        kind: "broken",
        line: 102,
        endLine: 102,
        raw: "q".repeat(RAW_PREVIEW_CHARS),
        reason: expect.stringMatching(
          /record too long: line 102 has 3000000 characters, over the limit of 1000/,
        ),
      },
    ]);
  });

  it("rejects a huge tail with no line break at the end of the file, after the valid rows", async () => {
    const text = `${header}\n${rows.join("\n")}\n${"\u0000".repeat(4_000_000)}`;
    const items = await read(text, 4096);
    expect(items.filter((i) => i.kind === "record")).toHaveLength(101);
    expect(items.at(-1)).toMatchObject({
      kind: "broken",
      line: 102,
      reason: expect.stringContaining("4000000"),
    });
  });

  it("cuts an open quote that grows past the bound, and reads the following lines again", async () => {
    const long = "w".repeat(400);
    const text = `${header}\n1,"open ${long}\n${long}\n${long}\n2,fine\n`;
    const items = await read(text, 1000);
    expect(items.map((i) => [i.kind, i.line])).toEqual([
      ["record", 1],
      ["broken", 2],
      ["record", 3],
      ["record", 4],
      ["record", 5],
    ]);
    expect(items[1]).toMatchObject({
      reason: expect.stringContaining(
        "starting at line 2; the record was cut at line 4 (a record may hold at most 1000",
      ),
    });
  });

  it("cuts an open quote at an over-long line, then rejects that line on its own", async () => {
    const text = `${header}\n1,"open\n${"v".repeat(5000)}\n2,fine\n`;
    const items = await read(text, 1000);
    expect(items.map((i) => [i.kind, i.line])).toEqual([
      ["record", 1],
      ["broken", 2],
      ["broken", 3],
      ["record", 4],
    ]);
    expect(items[1]).toMatchObject({
      reason: expect.stringContaining("cut at line 3 (line 3 is over the limit"),
    });
    expect(items[2]).toMatchObject({ reason: expect.stringContaining("record too long: line 3 has 5000") });
  });

  it("bounds records by default at 1 MiB of text", async () => {
    expect(MAX_RECORD_CHARS).toBe(1_048_576);
    const ok = "k".repeat(MAX_RECORD_CHARS - 2);
    const text = `${header}\n1,${ok}\n2,${ok}k\n3,x\n`;
    const items = await collect(assembleRecords(splitLines(chunked(text, [1 << 20]))));
    expect(items.map((i) => [i.kind, i.line])).toEqual([
      ["record", 1],
      ["record", 2],
      ["broken", 3],
      ["record", 4],
    ]);
  });
});
