/** A search worker: its own database connection; embeddings are asked of the main thread's single model. */
import { parentPort, workerData } from "node:worker_threads";
import { deserializeError, serializeError } from "../domain/errors.js";
import type { Embedder, EmbedKind } from "../embed/embedder.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { createLocalService, openWorkerStore } from "./service.js";

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
      port.postMessage({ type: "embed", id, texts: [...texts], kind } satisfies FromWorker);
    }),
  close: async () => {},
};
const service = createLocalService(openWorkerStore(db), embedder);

port.on("message", async (m: ToWorker) => {
  if (m.type === "embedded") {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if ("vectors" in m) w?.resolve(m.vectors);
    else w?.reject(deserializeError(m.error));
    return;
  }
  try {
    const fn = service[m.method] as (...args: unknown[]) => Promise<unknown>;
    const value = await fn(...m.args);
    port.postMessage({ type: "result", id: m.id, value } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ type: "error", id: m.id, error: serializeError(e) } satisfies FromWorker);
  }
});
