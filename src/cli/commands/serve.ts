import type { Command } from "commander";
import { createApp } from "../../server/app.js";
import {
  isServerProcess,
  leaveCluster,
  reportServing,
  runCluster,
  type ServeReady,
} from "../../server/cluster.js";
import { listen } from "../../server/listen.js";
import { createPooledService } from "../../server/pool.js";
import { cachedHealth, createLocalService } from "../../server/service.js";
import {
  type CommonOptions,
  loadEmbedder,
  numberOption,
  openDb,
  resolveDbPath,
  withDb,
  withModel,
} from "../options.js";
import { createUi, type Io, type Ui } from "../ui.js";

interface ServeFlags extends CommonOptions {
  port: number;
  host: string;
  workers: number;
  processes: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/** Serve's counts: flag, help, least value, default (at most 64 each). */
const COUNTS = [
  ["--workers", "search worker threads (0: search on the main thread)", 0, 2],
  [
    "--processes",
    "server processes sharing the port (node:cluster), each with its own model and --workers threads",
    1,
    1,
  ],
] as const;

export function registerServe(program: Command, io: Io): void {
  const cmd = program
    .command("serve")
    .description("serve the search API and the web page over HTTP")
    .option("--port <n>", "port", numberOption("--port", 0, 65535, true), 8787)
    .option("--host <address>", "address to bind (loopback by default)", "127.0.0.1");
  for (const [flag, help, min, fallback] of COUNTS) {
    cmd.option(`${flag} <n>`, help, numberOption(flag, min, 64, true), fallback);
  }
  withModel(withDb(cmd)).action(async (flags: ServeFlags) => {
    const ui = createUi(io, { json: false });
    if (flags.processes > 1 && !isServerProcess()) {
      await runCluster({
        processes: flags.processes,
        onServing: (ready) => announce(ui, flags, ready),
        warn: (line) => ui.err(line),
      });
      return;
    }
    try {
      await serveOneProcess(flags, io, ui);
    } finally {
      leaveCluster();
    }
  });
}

/** Today's server: one process, its model, its pool of search threads; stops on SIGINT or SIGTERM. */
async function serveOneProcess(flags: ServeFlags, io: Io, ui: Ui): Promise<void> {
  const store = openDb(flags, io, "read");
  const embedder = await loadEmbedder(store, flags, ui, io.env);
  // Track lookups and health answer on this thread's own connection, never behind searches on the workers.
  const local = createLocalService(store, embedder);
  const service =
    flags.workers > 0
      ? createPooledService(resolveDbPath(flags, io), embedder, flags.workers, {
          main: { track: local.track, health: cachedHealth(local.health) },
        })
      : local;
  const shutDown = async () => {
    await service.close();
    await embedder.close();
    if (flags.workers > 0) store.close();
  };
  const app = createApp(service, { genreLabels: () => store.genreLabels() });
  const listening = await listen(app.fetch, { port: flags.port, host: flags.host }).catch(async (e) => {
    await shutDown();
    throw e;
  });
  const ready = { port: listening.port, tracks: store.stats().tracks };
  // A forked process tells the primary, which says it once for all of them.
  if (isServerProcess()) reportServing(ready);
  else announce(ui, flags, ready);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await listening.close();
  await shutDown();
}

function announce(ui: Ui, flags: ServeFlags, ready: ServeReady): void {
  const host = flags.host.includes(":") ? `[${flags.host}]` : flags.host;
  const processes = flags.processes > 1 ? ` (${flags.processes} processes)` : "";
  ui.out(
    `spotivec serving ${ready.tracks.toLocaleString("en-US")} tracks on http://${host}:${ready.port}/${processes}`,
  );
  if (!LOOPBACK.test(flags.host)) {
    ui.err(`warning: bound to ${flags.host}, reachable from other machines; there is no authentication`);
  }
}
