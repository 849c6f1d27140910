/** A search worker: its own database connection; embeddings are asked of the main thread's single model. */
import { parentPort, workerData } from "node:worker_threads";
import { isSpotivecError } from "../domain/errors.js";
import type { Embedder, EmbedKind } from "../embed/embedder.js";
import { createLocalService, openWorkerStore, type WorkerCall, type WorkerMessage } from "./service.js";

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread");
const { db, model, dims } = workerData as { db: string; model: string; dims: number };

const waiting = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>();
let nextEmbed = 1;
const embedder: Embedder = {
  model,
  dims,
  embed: (texts: readonly string[], kind: EmbedKind) =>
    new Promise<Float32Array[]>((resolve, reject) => {
      const id = nextEmbed++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ type: "embed", id, texts: [...texts], kind } satisfies WorkerMessage);
    }),
  close: async () => {},
};
const service = createLocalService(openWorkerStore(db), embedder);

port.on(
  "message",
  async (m: WorkerCall | { type: "embedded"; id: number; vectors?: Float32Array[]; error?: string }) => {
    if (m.type === "embedded") {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.vectors) w?.resolve(m.vectors);
      else w?.reject(new Error(m.error ?? "embedding failed"));
      return;
    }
    try {
      const fn = service[m.method] as (...args: unknown[]) => Promise<unknown>;
      const value = await fn(...m.args);
      port.postMessage({ type: "result", id: m.id, value } satisfies WorkerMessage);
    } catch (e) {
      const error = isSpotivecError(e)
        ? { code: e.code, message: e.message, expected: e.expected, got: e.got, hint: e.hint }
        : { message: e instanceof Error ? e.message : String(e) };
      port.postMessage({ type: "error", id: m.id, error } satisfies WorkerMessage);
    }
  },
);
