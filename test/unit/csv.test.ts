import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { assembleRecords, type CsvItem, MAX_RECORD_LINES, openCsv } from "../../src/ingest/csv.js";

async function collect(items: AsyncIterable<CsvItem>): Promise<CsvItem[]> {
  const out: CsvItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const assemble = (lines: string[]) => collect(assembleRecords(lines));

/** Records as [line, fields] pairs, broken items as [line, "broken"]. */
function summary(items: CsvItem[]): Array<[number, string[] | "broken"]> {
  return items.map((i) => [i.line, i.kind === "record" ? i.fields : "broken"]);
}

describe("assembleRecords", () => {
  it("parses plain records with 1-based line numbers", async () => {
    const items = await assemble(["a,b,c", "1,2,3"]);
    expect(summary(items)).toEqual([
      [1, ["a", "b", "c"]],
      [2, ["1", "2", "3"]],
    ]);
  });

  it("keeps commas inside quoted fields", async () => {
    const items = await assemble(["id,artists", `1,"Tyler, The Creator"`]);
    expect(summary(items)).toEqual([
      [1, ["id", "artists"]],
      [2, ["1", "Tyler, The Creator"]],
    ]);
  });

  it('unescapes doubled quotes ""', async () => {
    const items = await assemble([`1,"12"" Remix, ""live""",x`]);
    expect(summary(items)).toEqual([[1, ["1", '12" Remix, "live"', "x"]]]);
  });

  it("joins a quoted field spanning lines and keeps the starting line number", async () => {
    const items = await assemble(["h1,h2,h3", `1,"first`, `second",3`, "4,5,6"]);
    expect(summary(items)).toEqual([
      [1, ["h1", "h2", "h3"]],
      [2, ["1", "first\nsecond", "3"]],
      [4, ["4", "5", "6"]],
    ]);
  });

  it("strips CRLF endings, also inside a multi-line quoted field", async () => {
    const items = await assemble(["a,b\r", `1,"x\r`, `y"\r`, "2,3\r"]);
    expect(summary(items)).toEqual([
      [1, ["a", "b"]],
      [2, ["1", "x\ny"]],
      [4, ["2", "3"]],
    ]);
  });

  it("drops a UTF-8 BOM from the header only", async () => {
    const items = await assemble(["\uFEFFid,name", "x,y"]);
    expect(summary(items)).toEqual([
      [1, ["id", "name"]],
      [2, ["x", "y"]],
    ]);
  });

  it("skips blank lines but still counts them", async () => {
    const items = await assemble(["a,b", "", "   ", "1,2", "\r", "3,4"]);
    expect(summary(items)).toEqual([
      [1, ["a", "b"]],
      [4, ["1", "2"]],
      [6, ["3", "4"]],
    ]);
  });

  it("keeps blank lines inside a quoted field", async () => {
    const items = await assemble([`1,"a`, "", `b"`]);
    expect(summary(items)).toEqual([[1, ["1", "a\n\nb"]]]);
  });

  it("reports an unterminated quote mid-file as broken and keeps every following valid line", async () => {
    const items = await assemble(["h1,h2,h3", `1,"oops,3`, "4,5,6", `7,"quoted, ok",9`, "10,11,12"]);
    expect(summary(items)).toEqual([
      [1, ["h1", "h2", "h3"]],
      [2, "broken"],
      [3, ["4", "5", "6"]],
      [4, ["7", "quoted, ok", "9"]],
      [5, ["10", "11", "12"]],
    ]);
    const broken = items[1];
    expect(broken?.kind === "broken" && broken.raw).toBe(`1,"oops,3`);
    expect(broken?.kind === "broken" && broken.reason).toMatch(/unterminated/);
  });

  it(`gives up on an open quote after ${MAX_RECORD_LINES} lines and re-reads the rest in order`, async () => {
    const tail = Array.from({ length: MAX_RECORD_LINES + 5 }, (_, i) => `${i},x`);
    const items = await assemble(["h,v", `1,"never closed`, ...tail]);
    expect(items[1]).toMatchObject({ kind: "broken", line: 2, raw: `1,"never closed` });
    const records = items.slice(2);
    expect(records).toHaveLength(tail.length);
    records.forEach((r, i) => {
      expect(r).toEqual({
        kind: "record",
        line: i + 3,
        endLine: i + 3,
        fields: [String(i), "x"],
        raw: `${i},x`,
      });
    });
  });

  it("keeps valid lines between two unterminated quotes", async () => {
    // Two rows with a stray opening quote: the quote parity closes on the second one, but neither row is a
    // quoted multi-line field, and the valid row between them must not be lost.
    const items = await assemble(["h1,h2,h3", `1,"oops,3`, "4,5,6", `7,"8,9`, "10,11,12"]);
    expect(summary(items)).toEqual([
      [1, ["h1", "h2", "h3"]],
      [2, "broken"],
      [3, ["4", "5", "6"]],
      [4, "broken"],
      [5, ["10", "11", "12"]],
    ]);
  });

  it("keeps a valid multi-line record that follows an unterminated quote", async () => {
    const items = await assemble(["h1,h2,h3", `1,"oops,3`, `4,"multi`, `line",6`, "7,8,9"]);
    expect(summary(items)).toEqual([
      [1, ["h1", "h2", "h3"]],
      [2, "broken"],
      [3, ["4", "multi\nline", "6"]],
      [5, ["7", "8", "9"]],
    ]);
  });

  it("reports an unterminated quote at end of file with its line number", async () => {
    const items = await assemble(["a,b", "1,2", `3,"open`]);
    expect(summary(items)).toEqual([
      [1, ["a", "b"]],
      [2, ["1", "2"]],
      [3, "broken"],
    ]);
    expect(items[2]).toMatchObject({
      kind: "broken",
      raw: `3,"open`,
      reason: expect.stringMatching(/end of file/),
    });
  });

  it('reports invalid quotes (a,"b"c,d) as broken and goes on', async () => {
    const items = await assemble(["h1,h2,h3", `a,"b"c,d`, "1,2,3"]);
    expect(summary(items)).toEqual([
      [1, ["h1", "h2", "h3"]],
      [2, "broken"],
      [3, ["1", "2", "3"]],
    ]);
    expect(items[1]).toMatchObject({
      kind: "broken",
      raw: `a,"b"c,d`,
      reason: expect.stringMatching(/quot/i),
    });
  });

  it("keeps the exact text of each record as read, line breaks included", async () => {
    const lines = [
      "h1,h2,h3",
      `1,"Our House, ""Live""",3`,
      `2,"multi\r`,
      `line",6\r`,
      `  7 , 8 ,9  `,
      `a,"b"c,d`,
    ];
    const items = await assemble(lines);
    expect(items.map((i) => [i.kind, i.line, i.endLine, i.raw])).toEqual([
      ["record", 1, 1, "h1,h2,h3"],
      ["record", 2, 2, `1,"Our House, ""Live""",3`],
      ["record", 3, 4, `2,"multi\r\nline",6`],
      ["record", 5, 5, `  7 , 8 ,9  `],
      ["broken", 6, 6, `a,"b"c,d`],
    ]);
  });

  it("names where a broken quote mid-file starts and where the record was cut, not the end of file", async () => {
    // The quote opened on line 2 is never closed; the file goes on for three more lines.
    const items = await assemble(["h1,h2", `1,"broken`, "Sam Smith,Unholy", "a,b", "c,d"]);
    expect(summary(items)).toEqual([
      [1, ["h1", "h2"]],
      [2, "broken"],
      [3, ["Sam Smith", "Unholy"]],
      [4, ["a", "b"]],
      [5, ["c", "d"]],
    ]);
    const reason = items[1]?.kind === "broken" ? items[1].reason : "";
    expect(reason).toContain("unterminated quoted field starting at line 2; the record was cut at line 5");
    expect(reason).not.toMatch(/^broken quoting: unterminated quoted field at end of file$/);
  });

  it(`says the record was cut at the ${MAX_RECORD_LINES}-line bound`, async () => {
    const tail = Array.from({ length: MAX_RECORD_LINES }, (_, i) => `${i},x`);
    const items = await assemble(["h,v", `1,"never closed`, ...tail]);
    expect(items[1]).toMatchObject({
      kind: "broken",
      line: 2,
      reason: expect.stringContaining(
        `starting at line 2; the record was cut at line ${MAX_RECORD_LINES + 1} (a quoted field may span at most ${MAX_RECORD_LINES} lines)`,
      ),
    });
  });

  it("accepts an async iterable of lines", async () => {
    async function* gen() {
      yield "a,b";
      yield "1,2";
    }
    const items = await collect(assembleRecords(gen()));
    expect(summary(items)).toEqual([
      [1, ["a", "b"]],
      [2, ["1", "2"]],
    ]);
  });
});

describe("openCsv", () => {
  let dir: string;
  const text = `\uFEFFid,name\r\n1,"Tyler, The Creator"\r\n2,"multi\r\nline"\r\n\r\n3,plain\r\n`;
  const expected: Array<[number, string[] | "broken"]> = [
    [1, ["id", "name"]],
    [2, ["1", "Tyler, The Creator"]],
    [3, ["2", "multi\nline"]],
    [6, ["3", "plain"]],
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "spotivec-csv-"));
    writeFileSync(join(dir, "t.csv"), text);
    writeFileSync(join(dir, "t.csv.gz"), gzipSync(Buffer.from(text, "utf8")));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("streams a plain .csv", async () => {
    const src = openCsv(join(dir, "t.csv"));
    expect(src.size).toBe(Buffer.byteLength(text));
    expect(summary(await collect(src.items))).toEqual(expected);
    expect(src.bytesRead()).toBe(src.size);
  });

  it("streams a .csv.gz to the same records", async () => {
    const src = openCsv(join(dir, "t.csv.gz"));
    expect(src.size).toBe(gzipSync(Buffer.from(text, "utf8")).length);
    expect(summary(await collect(src.items))).toEqual(expected);
  });

  it("throws FILE_NOT_FOUND for a missing file", () => {
    const missing = join(dir, "nope.csv");
    let error: unknown;
    try {
      openCsv(missing);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpotivecError);
    expect((error as SpotivecError).code).toBe("FILE_NOT_FOUND");
    expect((error as SpotivecError).got).toContain(missing);
  });
});
