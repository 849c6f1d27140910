/**
 * Likes import at scale: generates a likes file from a catalog database (a mix of track ids, URIs and URLs,
 * "Artist - Title" hits, misspelled hits, misses, comments and blank lines), imports it with
 * `spotivec likes import` in a child process, and reports lines/s and peak RSS (sampled through the run, so a
 * growing heap shows).
 *
 *   node --import tsx bench/likes-import.ts --db FILE [--lines 1000000] [--format lines|csv] [--out FILE]
 *     [--heap MiB]
 *
 * The database is copied to a temporary directory first: the file given is never written.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  copyFileSync,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openStore } from "../src/store/store.js";

const CHILD_AT = process.argv.indexOf("--child");
const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    lines: { type: "string", default: "1000000" },
    format: { type: "string", default: "lines" },
    out: { type: "string" },
    keep: { type: "boolean", default: false },
    /** Caps the child's V8 heap (MiB): a run that finishes under a small cap shows the live memory is bounded. */
    heap: { type: "string" },
  },
  // Internal: `--child ARGS...` runs the CLI from this checkout's sources (not a stale build).
  args: CHILD_AT >= 0 ? [] : process.argv.slice(2),
});
if (!args.db && CHILD_AT < 0)
  throw new Error("--db FILE is required (a catalog database; it is copied, never written)");
if (args.format !== "lines" && args.format !== "csv") throw new Error("--format is lines or csv");
const LINES = Number(args.lines);

let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

interface Track {
  id: string;
  name: string;
  artist: string;
}

/** Up to 20,000 catalog tracks to draw hits from (most popular first, as people's likes tend to be). */
function sampleCatalog(db: string): Track[] {
  const store = openStore(db);
  try {
    return store
      .getTracks(store.filterOnly(20_000, {}))
      .map((t) => ({ id: t.id, name: t.name, artist: t.artists[0] ?? "" }));
  } finally {
    store.close();
  }
}

/** One typo: a letter dropped, doubled or swapped. */
function typo(s: string): string {
  if (s.length < 5) return s;
  const i = 1 + Math.floor(rand() * (s.length - 2));
  const r = rand();
  if (r < 0.33) return s.slice(0, i) + s.slice(i + 1);
  if (r < 0.66) return s.slice(0, i) + s[i] + s.slice(i);
  return s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1);
}

const WORDS = ["velvet", "orbit", "neon", "harbor", "ghost", "paper", "river", "static", "crown", "ember"];
const madeUp = () => `${pickOf(WORDS)} ${pickOf(WORDS)} ${Math.floor(rand() * 100_000)}`;

/** One generated like: [artist, title] or an id form; the mix is in the module comment. */
function like(tracks: readonly Track[]): { artist: string; title: string } | string {
  const t = pickOf(tracks);
  const r = rand();
  if (r < 0.1) return t.id;
  if (r < 0.2) return `spotify:track:${t.id}`;
  if (r < 0.3) return `https://open.spotify.com/track/${t.id}?si=${Math.floor(rand() * 1e9)}`;
  if (r < 0.6) return { artist: t.artist, title: t.name };
  if (r < 0.7) return { artist: t.artist.toLowerCase(), title: `${t.name} - Live` };
  if (r < 0.8) return { artist: typo(t.artist), title: typo(t.name) };
  if (r < 0.9) return { artist: t.artist, title: madeUp() };
  return { artist: madeUp(), title: madeUp() };
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function generate(path: string, tracks: readonly Track[]): Promise<void> {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  if (args.format === "csv") await write("Track URI,Track Name,Artist Name(s)\n");
  else await write("# generated likes\n");
  for (let i = 1; i < LINES; i++) {
    const l = like(tracks);
    if (args.format === "csv") {
      if (typeof l === "string") await write(`${csvField(l)},,\n`);
      else await write(`,${csvField(l.title)},${csvField(l.artist)}\n`);
    } else if (i % 5000 === 0) await write("\n");
    else if (i % 5001 === 0) await write("# a comment\n");
    else await write(`${typeof l === "string" ? l : `${l.artist} - ${l.title}`}\n`);
  }
  out.end();
  await once(out, "finish");
}

/** Runs the import in a child process, sampling its RSS every 200 ms. */
async function importFile(db: string, file: string) {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      ...(args.heap ? [`--max-old-space-size=${Number(args.heap)}`] : []),
      "--import",
      "tsx",
      "bench/likes-import.ts",
      "--child",
      "likes",
      "import",
      file,
      "--db",
      db,
      "--profile",
      "bench",
      "--json",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  const samples: Array<{ s: number; rssMiB: number }> = [];
  const timer = setInterval(() => {
    try {
      const status = rssMiB(child.pid as number);
      if (status !== null) samples.push({ s: (Date.now() - started) / 1000, rssMiB: status });
    } catch {}
  }, 200);
  const [code] = (await once(child, "exit")) as [number];
  clearInterval(timer);
  return { code, seconds: (Date.now() - started) / 1000, samples, report: stdout };
}

/** The resident set of a process from /proc, in MiB (Linux). */
function rssMiB(pid: number): number | null {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : null;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "spotivec-likes-bench-"));
  try {
    const db = join(dir, "catalog.db");
    copyFileSync(args.db as string, db);
    const tracks = sampleCatalog(db);
    const file = join(dir, args.format === "csv" ? "likes.csv" : "likes.txt");
    await generate(file, tracks);
    const bytes = statSync(file).size;
    const run = await importFile(db, file);
    if (run.code !== 0) throw new Error(`import exited ${run.code}: ${run.report.slice(0, 2000)}`);
    const report = JSON.parse(run.report) as Record<string, unknown>;
    const peak = Math.max(...run.samples.map((s) => s.rssMiB));
    // RSS at each quarter of the run: flat memory means these stay level while the file is read.
    const quarters = [0.25, 0.5, 0.75, 1].map((q) => {
      const s = run.samples[Math.min(run.samples.length - 1, Math.floor(q * run.samples.length) - 1)];
      return Math.round(s?.rssMiB ?? 0);
    });
    const result = {
      format: args.format,
      heapCapMiB: args.heap ? Number(args.heap) : null,
      lines: LINES,
      fileMiB: +(bytes / 1024 / 1024).toFixed(1),
      seconds: +run.seconds.toFixed(1),
      linesPerSecond: Math.round(LINES / run.seconds),
      peakRssMiB: Math.round(peak),
      rssByQuarterMiB: quarters,
      report: Object.fromEntries(
        Object.entries(report).filter(([k]) => k !== "details" && k !== "file" && k !== "profile"),
      ),
    };
    console.log(JSON.stringify(result, null, 2));
    if (args.out) writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (CHILD_AT >= 0) {
  const { run } = await import("../src/cli/cli.js");
  process.exitCode = await run(process.argv.slice(CHILD_AT + 1));
} else await main();
