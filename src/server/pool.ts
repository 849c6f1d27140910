/** A pool of search worker threads, each with its own read-only view of the database; embeddings come from here. */
import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import { deserializeError, serializeError } from "../domain/errors.js";
import type { Embedder } from "../embed/embedder.js";
import type { FromWorker, Method, ToWorker } from "./protocol.js";
import type { SearchService } from "./service.js";

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  worker: Worker;
}

interface PoolWorker {
  worker: Worker;
  busy: number;
}

export interface PoolOptions {
  /**
   * The main thread's lane for short lookups (its own read connection): track lookups and health answer from here,
   * never queued behind searches that keep every worker busy. Without it, they go to the workers too.
   */
  main?: Pick<SearchService, "track" | "health">;
  /** The worker script (tests give their own). */
  workerUrl?: URL;
}

export function createPooledService(
  dbPath: string,
  embedder: Embedder,
  size = Math.max(1, Math.min(4, cpus().length)),
  options: PoolOptions = {},
): SearchService {
  const calls = new Map<number, Pending>();
  const url = options.workerUrl ?? new URL("./worker.js", import.meta.url);
  const workers = Array.from({ length: size }, () => startWorker(url, dbPath, embedder, calls));
  let nextId = 1;
  const main = options.main;

  const call = <T>(method: Method, ...args: unknown[]): Promise<T> => {
    // The least busy worker takes the call.
    const state = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = nextId++;
    state.busy++;
    return new Promise<T>((resolve, reject) => {
      calls.set(id, { resolve: resolve as (v: unknown) => void, reject, worker: state.worker });
      state.worker.postMessage({ type: "call", id, method, args } satisfies ToWorker);
    });
  };

  return {
    search: (params) => call("search", params),
    track: main ? (id) => main.track(id) : (id) => call("track", id),
    similar: (id, limit) => call("similar", id, limit),
    health: main ? () => main.health() : () => call("health"),
    // The map and the playlists run on the workers too: each worker opens its writable connection on its first write.
    map: (bins) => call("map", bins),
    playlists: () => call("playlists"),
    playlist: (name) => call("playlist", name),
    savePicked: (picked) => call("savePicked", picked),
    deletePlaylist: (name) => call("deletePlaylist", name),
    close: async () => {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

function startWorker(url: URL, dbPath: string, embedder: Embedder, calls: Map<number, Pending>): PoolWorker {
  const worker = new Worker(url, {
    workerData: { db: dbPath, model: embedder.model, dims: embedder.dims },
  });
  const state: PoolWorker = { worker, busy: 0 };
  worker.on("message", (m: FromWorker) => {
    if (m.type === "embed") {
      void embedFor(worker, embedder, m);
      return;
    }
    const pending = calls.get(m.id);
    if (!pending) return;
    calls.delete(m.id);
    state.busy--;
    if (m.type === "result") pending.resolve(m.value);
    else pending.reject(deserializeError(m.error));
  });
  worker.on("error", (e) => {
    for (const [id, p] of calls) {
      if (p.worker === worker) {
        calls.delete(id);
        p.reject(e);
      }
    }
  });
  return state;
}

/** Embeds on the main thread's model for a worker. */
async function embedFor(
  worker: Worker,
  embedder: Embedder,
  m: Extract<FromWorker, { type: "embed" }>,
): Promise<void> {
  try {
    const vectors = await embedder.embed(m.texts, m.kind);
    worker.postMessage({ type: "embedded", id: m.id, vectors } satisfies ToWorker);
  } catch (e) {
    worker.postMessage({ type: "embedded", id: m.id, error: serializeError(e) } satisfies ToWorker);
  }
}
