/**
 * Load test of `spotivec serve` on loopback: for each process count, starts `spotivec serve --processes N --port 0`
 * (node:cluster, one port), drives it with C concurrent clients for S seconds of a fixed mix of searches (autocannon),
 * and stops it with SIGTERM. Reports per process count requests/s, p50/p90/p99 latency, errors (must be 0) and how
 * many processes answered.
 *
 *   npm run bench:load -- --db DB [--processes 1,2,4] [--connections 20] [--duration 20] [--workers 2]
 *     [--json] [--out FILE] [--mode searches|health] [--bin PATH]
 *
 * The load generator runs in this process, on the same machine as the server. `--mode health` also probes
 * `/api/health` and `/api/tracks/:id`, one at a time every 100 ms, while the searches keep every worker busy, and
 * reports their latency: short lookups must not queue behind searches. `--bin` runs another checkout's
 * `bin/spotivec.js` (to compare before and after on the same machine). Exits 1 when any request failed, a process
 * did not answer, or a server did not exit with 0 on SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    processes: { type: "string", default: "1" },
    connections: { type: "string", default: "20" },
    duration: { type: "string" },
    seconds: { type: "string" },
    workers: { type: "string", default: "2" },
    json: { type: "boolean", default: false },
    out: { type: "string" },
    mode: { type: "string", default: "searches" },
    bin: { type: "string" },
  },
});
const counts = (args.processes ?? "1").split(",").map(Number);
if (!args.db || (args.mode !== "searches" && args.mode !== "health") || counts.some((n) => !(n >= 1))) {
  console.error(
    "usage: npm run bench:load -- --db DB [--processes 1,2,4] [--connections 20] [--duration 20] [--workers 2] [--json] [--out FILE] [--mode searches|health] [--bin PATH]",
  );
  process.exit(2);
}
const db = args.db;
// --seconds: this script's earlier name for --duration.
const duration = Number(args.duration ?? args.seconds ?? "20");
const connections = Number(args.connections);
const workers = Number(args.workers);

/** The mix: plain text, text with range filters, a genre filter alone; each client takes the next in turn. */
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

interface Server {
  base: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** `spotivec serve --processes N --port 0`; resolves once it prints the URL all its processes share. */
async function startServer(processes: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      bin,
      "serve",
      "--db",
      db,
      "--port",
      "0",
      "--workers",
      String(workers),
      // Left out for 1: a --bin from before --processes serves as it did.
      ...(processes > 1 ? ["--processes", String(processes)] : []),
      "--offline",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    void exited.then((code) => reject(new Error(`server exited (code ${code}) before it served: ${out}`)));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
  });
  return { base, child, exited };
}

/** GET on a connection of its own (the cluster hands out connections, not requests), as JSON. */
function getFresh<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d));
      res.on("end", () => resolve(JSON.parse(text) as T));
    }).on("error", reject);
  });
}

/** How many distinct processes answer /api/health over 4 fresh connections per process. */
async function answeringProcesses(base: string, processes: number): Promise<number> {
  const pids = new Set<number>();
  for (let i = 0; i < 4 * processes; i++)
    pids.add((await getFresh<{ pid: number }>(`${base}/api/health`)).pid);
  return pids.size;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Percentiles of a list of latencies in milliseconds. */
function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return {
    count: sorted.length,
    p50: round1(at(50)),
    p90: round1(at(90)),
    p99: round1(at(99)),
    max: round1(at(100)),
  };
}

/** Fetches each path in turn every `everyMs` until `until` says stop; the latency of each, by path. */
async function probe(
  base: string,
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

/**
 * What the server uses so far, the primary and its forked processes together, all their threads (Linux /proc;
 * null elsewhere): CPU seconds (100 ticks a second), less disturbed than wall time by other work on a shared
 * machine; and resident memory summed over the processes (pages they share, such as the index file, count in each).
 */
function serverUsage(primary: number): { cpuSeconds: number; rssMiB: number } | null {
  if (!existsSync(`/proc/${primary}/stat`)) return null;
  let ticks = 0;
  let rssPages = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name (which may hold spaces): state ppid ... utime (14th) stime (15th) ... rss (24th).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(entry) !== primary && Number(fields[1]) !== primary) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
    rssPages += Number(fields[21]);
  }
  return { cpuSeconds: ticks / 100, rssMiB: Math.round((rssPages * 4096) / 2 ** 20) };
}

/** Autocannon requests that walk the query mix. */
function searchRequests(): autocannon.Request[] {
  let i = 0;
  return [
    {
      method: "GET",
      setupRequest: (req) => ({ ...req, path: `/api/search?${QUERIES[i++ % QUERIES.length]}` }),
    },
  ];
}

/** Warms every process, checks that each answers, then loads the server for `duration` seconds. */
async function load(base: string, processes: number, primary: number) {
  // First searches load caches (concept vectors, the page cache, the index): warm each process before measuring.
  await autocannon({
    url: base,
    connections: 2 * processes,
    amount: 2 * processes * QUERIES.length,
    requests: searchRequests(),
  });
  const answering = await answeringProcesses(base, processes);
  const health = args.mode === "health";
  const first = health
    ? await getFresh<{ results: Array<{ id: string }> }>(`${base}/api/search?${QUERIES[0]}`)
    : null;
  const someId = first?.results[0]?.id ?? "";
  let done = false;
  const probes = health ? ["/api/health", `/api/tracks/${someId}`] : [];
  // Probing starts a second in, once the searches fill the pool.
  const probing = new Promise((resolve) => setTimeout(resolve, 1000)).then(() =>
    probe(base, probes, 100, () => done),
  );
  const serverBefore = serverUsage(primary);
  const clientCpuBefore = process.cpuUsage();
  const result = await autocannon({ url: base, connections, duration, requests: searchRequests() });
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverAfter = serverUsage(primary);
  done = true;
  const serverCpu = serverBefore && serverAfter ? serverAfter.cpuSeconds - serverBefore.cpuSeconds : null;
  const probed = await probing;
  return {
    processes,
    workersPerProcess: workers,
    answeringProcesses: answering,
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
    // CPU per answered request: the server's processes, and this process (the load generator) beside them.
    serverRssMiB: serverAfter?.rssMiB ?? null,
    serverCpuMsPerRequest:
      serverCpu === null ? null : round1((serverCpu * 1000) / Math.max(1, result.requests.total)),
    clientCpuMsPerRequest: round1(
      (clientCpu.user + clientCpu.system) / 1000 / Math.max(1, result.requests.total),
    ),
    ...(health
      ? {
          healthLatencyMs: percentiles(probed["/api/health"] ?? []),
          trackLatencyMs: percentiles(probed[`/api/tracks/${someId}`] ?? []),
        }
      : {}),
  };
}

/** One process count: start the server, load it, stop it with SIGTERM (it must exit 0). */
async function measure(processes: number) {
  const loadAverageBefore = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const server = await startServer(processes);
  let record: Awaited<ReturnType<typeof load>>;
  try {
    record = await load(server.base, processes, server.child.pid ?? 0);
  } finally {
    server.child.kill("SIGTERM");
  }
  return { ...record, exitCodeOnSigterm: await server.exited, loadAverageBefore };
}

const runs = [];
for (const n of counts) runs.push(await measure(n));
const summary = {
  date: new Date().toISOString(),
  db,
  bin,
  mode: args.mode,
  cpus: cpus().length,
  connections,
  seconds: duration,
  runs,
};
if (args.json) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(
    `${connections} clients, ${duration} s per process count, ${workers} search thread(s) per process, ${cpus().length} CPUs`,
  );
  console.table(
    runs.map((r) => ({
      processes: r.processes,
      answering: r.answeringProcesses,
      "requests/s": r.requestsPerSecond,
      "p50 ms": r.latencyMs.p50,
      "p90 ms": r.latencyMs.p90,
      "p99 ms": r.latencyMs.p99,
      errors: r.errors + r.timeouts,
      "non-2xx": r.non2xx,
      "server CPU ms/req": r.serverCpuMsPerRequest ?? "-",
      "server RSS MiB": r.serverRssMiB ?? "-",
      "exit on SIGTERM": r.exitCodeOnSigterm,
      "load before": r.loadAverageBefore,
    })),
  );
}
if (args.out) writeFileSync(args.out, `${JSON.stringify(summary, null, 2)}\n`);
const failed = runs.some(
  (r) =>
    r.errors + r.non2xx + r.timeouts > 0 ||
    r.answeringProcesses !== r.processes ||
    r.requests === 0 ||
    r.exitCodeOnSigterm !== 0,
);
if (failed) {
  console.error("some requests failed, not every process answered, or a server did not stop cleanly");
  process.exitCode = 1;
}
