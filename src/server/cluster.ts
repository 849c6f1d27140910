/**
 * Several `spotivec serve` processes behind one port, with node:cluster: the primary forks this process's own command
 * line N times, each fork is a whole server (its model, its search threads, its read-only connections), and the
 * primary's listening handle hands connections to them in turn. Nothing is kept between requests, so any process
 * answers any request.
 *
 * Every fork asks for the same port as the command line (also port 0): the primary keeps one handle per address and
 * port asked, so all forks share the port the first one bound. A fork asking for that port by number would make
 * the primary bind it a second time (EADDRINUSE).
 *
 * A process that dies while serving is said on stderr and replaced: the others keep serving meanwhile, and one bad
 * request or a crash of native code should not take the whole server down. More deaths than processes within a
 * minute is a crash loop (a damaged database, memory running out): the primary stops them all and fails
 * (SERVE_PROCESS), so whatever supervises it sees the failure instead of a server that restarts forever.
 */
import cluster, { type Worker } from "node:cluster";
import { SpotivecError } from "../domain/errors.js";

/** What a server process tells the primary once it serves. */
export interface ServeReady {
  port: number;
  tracks: number;
}

interface ReadyMessage extends ServeReady {
  type: "spotivec:serving";
}

/** True in a process the primary forked (its stdout is the primary's; it reports readiness instead of printing). */
export function isServerProcess(): boolean {
  return cluster.isWorker;
}

/** In a forked server process: tells the primary it serves. */
export function reportServing(ready: ServeReady): void {
  process.send?.({ type: "spotivec:serving", ...ready } satisfies ReadyMessage);
}

/** In a forked server process, once stopped (or failed): leaves the cluster; its channel would keep it alive. */
export function leaveCluster(): void {
  // Through the worker: a bare process.disconnect() reads as the primary gone, and Node exits the process with 0.
  if (cluster.worker?.isConnected()) cluster.worker.disconnect();
}

export interface ClusterOptions {
  processes: number;
  /** Called once, when every process serves, with the port they share. */
  onServing(ready: ServeReady): void;
  /** One line for stderr. */
  warn(line: string): void;
  /** Deaths allowed within `windowMs` before the primary gives up (default: one per process). */
  restartLimit?: number;
  windowMs?: number;
  /** How long a process may take to stop before it is killed (its server drains for at most 5 s). */
  stopTimeoutMs?: number;
}

type Phase = "starting" | "serving" | "stopping";

/**
 * The primary: forks the processes, says once that they serve, replaces one that dies (up to the limit), and on
 * SIGINT or SIGTERM stops them all. Resolves once all have exited after a signal; rejects with SERVE_PROCESS when a
 * process exits before it serves, or when processes die faster than the limit.
 */
export async function runCluster(options: ClusterOptions): Promise<void> {
  const limit = options.restartLimit ?? options.processes;
  const windowMs = options.windowMs ?? 60_000;
  let phase: Phase = "starting";
  let shared: ServeReady | undefined;
  const countDeath = counterWithin(windowMs);
  let end!: { stop: () => void; fail: (e: unknown) => void };
  const ended = new Promise<void>((stop, fail) => {
    end = { stop, fail };
  });
  const stopOnSignal = () => {
    phase = "stopping";
    end.stop();
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);

  const died = (pid: number, how: string, served: boolean) => {
    if (phase === "stopping") return;
    const what = `server process ${pid} exited${served ? "" : " before it served"} (${how})`;
    if (phase === "starting") {
      end.fail(startFailed(what, how));
      return;
    }
    const recent = countDeath();
    if (recent > limit) {
      end.fail(crashLoop(recent, windowMs, what));
      return;
    }
    options.warn(`${what}; starting another (${recent} of at most ${limit} within ${windowMs / 1000} s)`);
    void start(pid);
  };

  const start = (replacing?: number): Promise<ServeReady> =>
    new Promise((resolve) => {
      const worker = cluster.fork();
      const pid = worker.process.pid ?? 0;
      let served = false;
      worker.on("message", (m: unknown) => {
        if (!isReadyMessage(m) || served) return;
        served = true;
        if (shared && m.port !== shared.port) {
          // Every process had exited, so the primary closed the shared handle and the new one bound another port.
          end.fail(portLost(shared.port, m.port));
          return;
        }
        if (replacing !== undefined) options.warn(`server process ${pid} serves in place of ${replacing}`);
        resolve({ port: m.port, tracks: m.tracks });
      });
      worker.on("exit", (code, signal) => died(pid, exitDescription(code, signal), served));
    });

  const serveUntilEnded = async () => {
    // One first: a wrong database, model or port fails once, with one error, before the others start.
    const first = await Promise.race([start(), ended]);
    if (!first) return;
    shared = first;
    const rest = await Promise.race([
      Promise.all(Array.from({ length: options.processes - 1 }, () => start())),
      ended,
    ]);
    if (!rest) return;
    phase = "serving";
    options.onServing(first);
    await ended;
  };

  let failure: unknown = null;
  await serveUntilEnded().catch((e: unknown) => {
    failure = e;
  });
  phase = "stopping";
  process.off("SIGINT", stopOnSignal);
  process.off("SIGTERM", stopOnSignal);
  const unclean = await stopAll(options.stopTimeoutMs ?? 15_000);
  if (failure) throw failure;
  if (unclean.length > 0) throw uncleanStop(unclean);
}

/** Counts calls, answering how many fell within the last `windowMs`. */
function counterWithin(windowMs: number): () => number {
  const times: number[] = [];
  return () => {
    const now = Date.now();
    times.push(now);
    while ((times[0] ?? now) <= now - windowMs) times.shift();
    return times.length;
  };
}

function isReadyMessage(m: unknown): m is ReadyMessage {
  return typeof m === "object" && m !== null && (m as { type?: unknown }).type === "spotivec:serving";
}

function exitDescription(code: number | null, signal: string | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/**
 * Asks every live process to stop (SIGTERM: each answers the requests in flight, then closes), killing one that
 * lingers; says how each that did not exit with 0 ended.
 */
async function stopAll(timeoutMs: number): Promise<string[]> {
  const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
  const ends = await Promise.all(
    live.map(
      (worker) =>
        new Promise<string | null>((resolve) => {
          const kill = setTimeout(() => worker.process.kill("SIGKILL"), timeoutMs);
          worker.once("exit", (code, signal) => {
            clearTimeout(kill);
            resolve(
              code === 0 ? null : `server process ${worker.process.pid} ${exitDescription(code, signal)}`,
            );
          });
          worker.process.kill("SIGTERM");
        }),
    ),
  );
  return ends.filter((e): e is string => e !== null);
}

function startFailed(what: string, how: string): SpotivecError {
  return new SpotivecError("SERVE_PROCESS", `${what} while the server processes started`, {
    expected: "every server process to open the database, load the model and bind the port",
    got: how,
  });
}

function crashLoop(count: number, windowMs: number, last: string): SpotivecError {
  return new SpotivecError("SERVE_PROCESS", `${count} server processes exited within ${windowMs / 1000} s`, {
    expected: "server processes that keep serving",
    got: `${last}, after ${count - 1} others`,
    hint: "Read the errors above (memory, the database); serve with fewer --processes or --workers if memory ran out.",
  });
}

function uncleanStop(ends: string[]): SpotivecError {
  return new SpotivecError("SERVE_PROCESS", `${ends.length} server process(es) did not stop cleanly`, {
    expected: "every server process to exit with 0 once its requests in flight were answered",
    got: ends.join("; "),
    hint: "Read the errors above; a process killed by SIGKILL took longer than 15 s to stop.",
  });
}

function portLost(port: number, now: number): SpotivecError {
  return new SpotivecError("SERVE_PROCESS", `every server process exited and the port changed from ${port}`, {
    expected: `the replacements to share port ${port}`,
    got: `port ${now}`,
    hint: "Start serve again; give --port a number to keep the same port across restarts.",
  });
}
