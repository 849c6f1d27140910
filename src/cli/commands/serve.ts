import { serve } from "@hono/node-server";
import type { Command } from "commander";
import { createApp } from "../../server/app.js";
import { createPooledService } from "../../server/pool.js";
import { createLocalService } from "../../server/service.js";
import {
  type CommonOptions,
  loadEmbedder,
  numberOption,
  openDb,
  resolveDbPath,
  withDb,
  withModel,
} from "../options.js";
import { createUi, type Io } from "../ui.js";

interface ServeFlags extends CommonOptions {
  port: number;
  host: string;
  workers: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

export function registerServe(program: Command, io: Io): void {
  const cmd = program
    .command("serve")
    .description("serve the search API and the web page over HTTP")
    .option("--port <n>", "port", numberOption("--port", 0, 65535, true), 8787)
    .option("--host <address>", "address to bind (loopback by default)", "127.0.0.1")
    .option(
      "--workers <n>",
      "search worker threads (0: search on the main thread)",
      numberOption("--workers", 0, 64, true),
      2,
    );
  withModel(withDb(cmd)).action(async (flags: ServeFlags) => {
    const ui = createUi(io, { json: false });
    const store = openDb(flags, io);
    const embedder = await loadEmbedder(store, flags, ui);
    const service =
      flags.workers > 0
        ? createPooledService(resolveDbPath(flags, io), embedder, flags.workers)
        : createLocalService(store, embedder);
    const app = createApp(service, { genreLabels: () => store.genreLabels() });
    const server = serve({ fetch: app.fetch, port: flags.port, hostname: flags.host });
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : flags.port;
    ui.out(
      `spotivec serving ${store.stats().tracks.toLocaleString("en-US")} tracks on http://${flags.host.includes(":") ? `[${flags.host}]` : flags.host}:${port}/`,
    );
    if (!LOOPBACK.test(flags.host)) {
      ui.err(`warning: bound to ${flags.host}, reachable from other machines; there is no authentication`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    server.close();
    await service.close();
    await embedder.close();
    store.close();
  });
}
