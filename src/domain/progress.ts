/** Progress is data: the core emits events, the UI module decides how (and whether) to draw them. */
export type Phase =
  | "model"
  | "parse"
  | "describe"
  | "embed"
  | "search"
  | "tag"
  | "index"
  | "catalog"
  | "enrich"
  | "copy";

export interface ProgressEvent {
  phase: Phase;
  done: number;
  /** Unknown totals (a stream of unknown length) are null. */
  total: number | null;
  /** Optional short note, e.g. the file being read or the model being downloaded. */
  detail?: string;
}

export type ProgressSink = (event: ProgressEvent) => void;

export const silentProgress: ProgressSink = () => {};
