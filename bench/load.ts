/**
 * Load test of `spotivec serve` on loopback: N concurrent clients for S seconds of mixed searches, bounded in
 * time, against a server this script starts and stops itself.
 *
 *   node --import tsx bench/load.ts --db FILE [--connections 20] [--seconds 20] [--workers 2] [--out FILE]
 *     [--mode searches|health] [--bin PATH]
 *
 * `--mode health` also probes `/api/health` and `/api/tracks/:id`, one at a time every 100 ms, while the searches
 * keep every worker busy, and reports their latency: short lookups must not queue behind searches. `--bin` runs
 * another checkout's `bin/spotivec.js` (to compare before and after on the same machine).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    connections: { type: "string", default: "20" },
    seconds: { type: "string", default: "20" },
    workers: { type: "string", default: "2" },
    out: { type: "string" },
    mode: { type: "string", default: "searches" },
    bin: { type: "string" },
  },
});
if (!args.db) throw new Error("--db FILE is required");
if (args.mode !== "searches" && args.mode !== "health") throw new Error("--mode is searches or health");

const QUERIES = [
  "q=dark%20techno%20with%20high%20energy",
  "q=sad%20songs%20with%20fast%20tempo",
  "q=chill%20acoustic%20songs",
  "q=songs%20around%20170%20bpm%20for%20running",
  "q=clean%20hip-hop",
  "q=blink-182%20songs",
  "q=indie%20songs%20that%20would%20sound%20good%20as%20hardstyle",
  "q=very%20long%20songs",
  "q=happy%20reggae&energy_min=0.5",
  "q=jazz&tempo_min=100&tempo_max=140",
  "genre=metal&limit=20",
  "q=calm%20ambient%20music%20for%20sleep",
];

const bin = args.bin ?? join(import.meta.dirname, "..", "bin", "spotivec.js");
const server = spawn(
  process.execPath,
  [bin, "serve", "--db", args.db, "--port", "0", "--workers", args.workers as string, "--offline"],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const base = await new Promise<string>((resolve, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
  server.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1] as string);
    }
  });
});

/** Percentiles of a list of latencies in milliseconds. */
function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(at(50)),
    p90: round(at(90)),
    p99: round(at(99)),
    max: round(at(100)),
  };
}

/** Fetches each path in turn every `everyMs` until `until` says stop; the latency of each, by path. */
async function probe(
  paths: string[],
  everyMs: number,
  until: () => boolean,
): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(paths.map((p) => [p, []]));
  while (!until()) {
    for (const path of paths) {
      const start = performance.now();
      const res = await fetch(`${base}${path}`);
      await res.arrayBuffer();
      if (res.ok) times[path]?.push(performance.now() - start);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return times;
}

try {
  // Warm up: first searches load caches (concept vectors, page cache).
  let someId = "";
  for (const q of QUERIES) {
    const body = (await (await fetch(`${base}/api/search?${q}`)).json()) as {
      results?: Array<{ id: string }>;
    };
    someId ||= body.results?.[0]?.id ?? "";
  }
  let i = 0;
  let done = false;
  const probes = args.mode === "health" ? ["/api/health", `/api/tracks/${someId}`] : [];
  // Probing starts a second in, once the searches fill the pool.
  const probing = new Promise((resolve) => setTimeout(resolve, 1000)).then(() =>
    probe(probes, 100, () => done),
  );
  const result = await autocannon({
    url: base,
    connections: Number(args.connections),
    duration: Number(args.seconds),
    requests: [
      {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: `/api/search?${QUERIES[i++ % QUERIES.length]}` }),
      },
    ],
  });
  done = true;
  const probed = await probing;
  const summary = {
    date: new Date().toISOString(),
    db: args.db,
    bin,
    mode: args.mode,
    connections: Number(args.connections),
    seconds: Number(args.seconds),
    workers: Number(args.workers),
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    ...(args.mode === "health"
      ? {
          healthLatencyMs: percentiles(probed["/api/health"] ?? []),
          trackLatencyMs: percentiles(probed[`/api/tracks/${someId}`] ?? []),
        }
      : {}),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (args.out) writeFileSync(args.out, `${JSON.stringify(summary, null, 2)}\n`);
} finally {
  server.kill("SIGTERM");
}
