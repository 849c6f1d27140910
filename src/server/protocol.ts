/** Messages between the main thread and search workers. Errors cross as `ErrorBody` and are rebuilt on arrival. */
import type { ErrorBody } from "../domain/errors.js";
import type { EmbedKind } from "../embed/embedder.js";

export type Method =
  | "search"
  | "track"
  | "similar"
  | "health"
  | "map"
  | "playlists"
  | "playlist"
  | "savePicked"
  | "deletePlaylist";

/** Main thread -> worker. */
export type ToWorker =
  | { type: "call"; id: number; method: Method; args: unknown[] }
  | { type: "embedded"; id: number; vectors: Float32Array[] }
  | { type: "embedded"; id: number; error: ErrorBody };

/** Worker -> main thread. */
export type FromWorker =
  | { type: "result"; id: number; value: unknown }
  | { type: "error"; id: number; error: ErrorBody }
  | { type: "embed"; id: number; texts: string[]; kind: EmbedKind };
