/**
 * What the HTTP API serves, behind one interface: in-process (tests, small use), or on a pool of worker threads
 * that share the one model loaded in the main thread, so a long search never blocks other requests.
 */
import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import { SpotivecError } from "../domain/errors.js";
import type { Embedder, EmbedKind } from "../embed/embedder.js";
import {
  type PlannedResponse,
  plannedSearch,
  type SearchResult,
  similarSearch,
  toResult,
} from "../search/search.js";
import { openStore, type Store, type TrackFilters } from "../store/store.js";

export interface SearchParams {
  q: string;
  limit: number;
  filters: TrackFilters;
  /** Labels of plan constraints to leave out (the web page's removed chips). */
  drop: string[];
}

export interface Health {
  status: "ok";
  version: string;
  tracks: number;
  embedded: number;
  model: { model: string; dims: number } | null;
}

export interface SearchService {
  search(params: SearchParams): Promise<PlannedResponse>;
  track(id: string): Promise<SearchResult | null>;
  similar(id: string, limit: number): Promise<(PlannedResponse & { track: SearchResult }) | null>;
  health(): Promise<Health>;
  close(): Promise<void>;
}

export const VERSION = "0.1.0";

/** Runs every call on this thread against one store. */
export function createLocalService(store: Store, embedder: Embedder): SearchService {
  return {
    search: async ({ q, limit, filters, drop }) => {
      const response = await plannedSearch(store, embedder, { text: q, filters, limit, drop });
      return response;
    },
    track: async (id) => {
      const t = store.trackById(id);
      return t ? toResult(t, t.popularity / 100) : null;
    },
    similar: async (id, limit) => {
      const t = store.trackById(id);
      if (!t) return null;
      const response = await similarSearch(store, embedder, t, { filters: {}, limit });
      return { track: toResult(t, 1), ...response };
    },
    health: async () => {
      const s = store.stats();
      return { status: "ok", version: VERSION, tracks: s.tracks, embedded: s.embedded, model: s.model };
    },
    close: async () => {
      store.close();
    },
  };
}

type Method = "search" | "track" | "similar" | "health";

export interface WorkerCall {
  type: "call";
  id: number;
  method: Method;
  args: unknown[];
}

export type WorkerMessage =
  | { type: "result"; id: number; value: unknown }
  | {
      type: "error";
      id: number;
      error: { code?: string; message: string; expected?: string; got?: string; hint?: string };
    }
  | { type: "embed"; id: number; texts: string[]; kind: EmbedKind };

/** A pool of worker threads, each with its own read-only view of the database; embeddings come from here. */
export function createPooledService(
  dbPath: string,
  embedder: Embedder,
  size = Math.max(1, Math.min(4, cpus().length)),
): SearchService {
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), {
      workerData: { db: dbPath, model: embedder.model, dims: embedder.dims },
    });
    const state = { worker, busy: 0 };
    worker.on("message", async (m: WorkerMessage) => {
      if (m.type === "embed") {
        try {
          const vectors = await embedder.embed(m.texts, m.kind);
          worker.postMessage({ type: "embedded", id: m.id, vectors });
        } catch (e) {
          worker.postMessage({ type: "embedded", id: m.id, error: String(e) });
        }
        return;
      }
      const pending = calls.get(m.id);
      if (!pending) return;
      calls.delete(m.id);
      state.busy--;
      if (m.type === "result") pending.resolve(m.value);
      else {
        const e = m.error;
        pending.reject(
          e.code && e.expected !== undefined
            ? new SpotivecError(e.code as never, e.message, {
                expected: e.expected ?? "",
                got: e.got ?? "",
                hint: e.hint ?? "",
              })
            : new Error(e.message),
        );
      }
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
  });
  const calls = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void; worker: Worker }
  >();
  let nextId = 1;

  const call = <T>(method: Method, ...args: unknown[]): Promise<T> => {
    // The least busy worker takes the call.
    const state = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = nextId++;
    state.busy++;
    return new Promise<T>((resolve, reject) => {
      calls.set(id, { resolve: resolve as (v: unknown) => void, reject, worker: state.worker });
      state.worker.postMessage({ type: "call", id, method, args } satisfies WorkerCall);
    });
  };

  return {
    search: (params) => call("search", params),
    track: (id) => call("track", id),
    similar: (id, limit) => call("similar", id, limit),
    health: () => call("health"),
    close: async () => {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** The database a worker opens: the same file, its own connection. */
export function openWorkerStore(dbPath: string): Store {
  return openStore(dbPath);
}
