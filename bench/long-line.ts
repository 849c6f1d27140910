/**
 * Memory of the CSV reader on a file with no line break: 100 valid rows, then a tail of --mb megabytes of NUL
 * bytes without a newline (as `truncate -s` makes), then one more row. Prints the rows read, the rejection, the
 * time and the peak RSS; the reader's memory should stay near its 1 MiB record bound plus one read chunk, whatever
 * the tail's size.
 *
 *   node --import tsx bench/long-line.ts [--mb 512] [--gz]
 */
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { openCsv } from "../src/ingest/csv.js";

const { values: args } = parseArgs({
  options: { mb: { type: "string", default: "512" }, gz: { type: "boolean", default: false } },
});
const mb = Number(args.mb);
const path = join(tmpdir(), `spotivec-long-line-${process.pid}.csv${args.gz ? ".gz" : ""}`);
const header = "id,name\n";
const rows = Array.from({ length: 100 }, (_, i) => `${i},track ${i}\n`).join("");
const block = Buffer.alloc(1 << 20);
const fd = openSync(path, "w");
if (args.gz) {
  // The tail is compressed block by block as separate gzip members, so writing it needs no big buffer either.
  writeSync(fd, gzipSync(header + rows));
  const member = gzipSync(block);
  for (let i = 0; i < mb; i++) writeSync(fd, member);
  writeSync(fd, gzipSync("\n100,last\n"));
} else {
  writeSync(fd, header + rows);
  for (let i = 0; i < mb; i++) writeSync(fd, block);
  writeSync(fd, "\n100,last\n");
}
closeSync(fd);

let peak = process.memoryUsage().rss;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const started = performance.now();
let records = 0;
const rejected: string[] = [];
try {
  for await (const item of openCsv(path).items) {
    peak = Math.max(peak, process.memoryUsage().rss);
    if (item.kind === "record") records++;
    else rejected.push(`line ${item.line}: ${item.reason}`);
  }
} finally {
  clearInterval(timer);
  rmSync(path, { force: true });
}
console.log(
  JSON.stringify(
    {
      tailMiB: mb,
      gzip: args.gz,
      records,
      rejected,
      seconds: +((performance.now() - started) / 1000).toFixed(2),
      peakRssMiB: Math.round(peak / 2 ** 20),
    },
    null,
    2,
  ),
);
