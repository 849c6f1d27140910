import { appendFileSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { SpotivecError } from "../domain/errors.js";
import type { ProgressSink } from "../domain/progress.js";
import type { ArtistRow, TrackRow } from "../domain/track.js";
import type { Embedder } from "../embed/embedder.js";
import type { Store, UpsertCounts } from "../store/store.js";
import { type CsvSource, openCsv } from "./csv.js";
import { describeTrack, descriptionHash } from "./describe.js";
import { detectLayout, type LayoutName } from "./layouts.js";
import { normalizeArtist, normalizeTrack } from "./normalize.js";

export interface Rejection {
  file: string;
  line: number;
  reason: string;
  raw: string;
}

export interface IngestOptions {
  files: readonly string[];
  store: Store;
  embedder: Embedder;
  rejectsPath: string;
  /** Stop at the first bad row instead of reporting it and going on. */
  strict?: boolean;
  progress?: ProgressSink;
  /** Rows per database transaction while parsing. */
  writeBatch?: number;
  /** Descriptions per call to the embedder. */
  embedBatch?: number;
  /** Called for each rejected row as it happens (the command may print them). */
  onReject?: (r: Rejection) => void;
}

export interface FileSummary {
  path: string;
  layout: LayoutName;
  rows: number;
  rejected: number;
}

export interface IngestSummary {
  files: FileSummary[];
  rowsRead: number;
  tracks: UpsertCounts;
  artists: UpsertCounts;
  rejected: number;
  rejectsFile: string | null;
  described: number;
  embedded: number;
  model: string;
  seconds: number;
}

const emptyCounts = (): UpsertCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

function addCounts(into: UpsertCounts, add: UpsertCounts): void {
  into.inserted += add.inserted;
  into.updated += add.updated;
  into.unchanged += add.unchanged;
}

/**
 * CSV -> rows -> tracks in the store -> descriptions -> embeddings. Each step commits in batches and only picks
 * up work not yet done, so an interrupted run leaves a valid database and the next run continues from there.
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { store, embedder } = options;
  const progress = options.progress ?? (() => {});
  store.useModel({ model: embedder.model, dims: embedder.dims });

  const summary: IngestSummary = {
    files: [],
    rowsRead: 0,
    tracks: emptyCounts(),
    artists: emptyCounts(),
    rejected: 0,
    rejectsFile: null,
    described: 0,
    embedded: 0,
    model: embedder.model,
    seconds: 0,
  };
  // The rejects file describes the latest run only.
  rmSync(options.rejectsPath, { force: true });
  const reject = rejecter(options, summary);
  const sources = await openSources(options.files);
  for (const source of sources) await readSource(source, options, summary, reject);

  summary.described = describePending(store, progress);
  summary.embedded = await embedPending(store, embedder, options.embedBatch ?? 64, progress);
  if (summary.described > 0) store.optimize();
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

type Reject = (r: Rejection) => void;

/** Counts a bad row, appends it to the rejects file, and stops the run under --strict. */
function rejecter(options: IngestOptions, summary: IngestSummary): Reject {
  return (r) => {
    summary.rejected++;
    summary.rejectsFile = options.rejectsPath;
    appendFileSync(options.rejectsPath, `${JSON.stringify(r)}\n`);
    options.onReject?.(r);
    if (options.strict) {
      throw new SpotivecError("BAD_ROW", `${r.file}:${r.line}: ${r.reason}`, {
        expected: "every row valid (--strict)",
        got: r.reason,
        hint: "Fix the row, or run without --strict to skip bad rows and list them in the rejects file.",
      });
    }
  };
}

interface OpenSource extends ReturnType<typeof detectLayout> {
  path: string;
  source: CsvSource;
}

/** Every file's layout is checked before any is read, so a wrong file fails fast; artists files come first. */
async function openSources(files: readonly string[]): Promise<OpenSource[]> {
  const sources: OpenSource[] = [];
  for (const path of files) {
    const source = openCsv(path);
    const first = await source.items.next();
    const header = first.done ? undefined : first.value;
    if (header?.kind !== "record") {
      throw new SpotivecError("UNKNOWN_LAYOUT", `${path}: no header row`, {
        expected: "a CSV file whose first line is a header",
        got: header ? `an unparseable first line (${header.reason})` : "an empty file",
        hint: "Pass the original Spotify CSV with its header row.",
      });
    }
    sources.push({ path, source, ...detectLayout(header.fields, path) });
  }
  // Artists first: tracks read afterwards get their artists' genres in the same run.
  const isArtists = (s: OpenSource) => Number(s.layout.name === "artists-600k");
  return sources.sort((a, b) => isArtists(b) - isArtists(a));
}

/** One file's rows, normalized and written in batches of writeBatch rows. */
async function readSource(
  { path, source, layout, columns }: OpenSource,
  options: IngestOptions,
  summary: IngestSummary,
  reject: Reject,
): Promise<void> {
  const { store } = options;
  const progress = options.progress ?? (() => {});
  const file: FileSummary = { path, layout: layout.name, rows: 0, rejected: 0 };
  summary.files.push(file);
  const name = basename(path);
  let trackBatch: TrackRow[] = [];
  let artistBatch: ArtistRow[] = [];
  const flush = () => {
    if (trackBatch.length > 0) addCounts(summary.tracks, store.upsertTracks(trackBatch));
    if (artistBatch.length > 0) addCounts(summary.artists, store.upsertArtists(artistBatch));
    trackBatch = [];
    artistBatch = [];
    const read = source.bytesRead();
    const estimate = read > 0 ? Math.max(file.rows, Math.round((file.rows * source.size) / read)) : null;
    progress({ phase: "parse", done: file.rows, total: estimate, detail: name });
  };
  for await (const item of source.items) {
    file.rows++;
    summary.rowsRead++;
    if (item.kind === "broken") {
      file.rejected++;
      reject({ file: path, line: item.line, reason: item.reason, raw: item.raw });
      continue;
    }
    const row =
      layout.name === "artists-600k"
        ? normalizeArtist(item.fields, columns)
        : normalizeTrack(layout.name, item.fields, columns);
    if (!row.ok) {
      file.rejected++;
      reject({ file: path, line: item.line, reason: row.reason, raw: item.fields.join(",") });
    } else if ("artists" in row.value) trackBatch.push(row.value);
    else artistBatch.push(row.value);
    if (trackBatch.length + artistBatch.length >= (options.writeBatch ?? 2000)) flush();
  }
  flush();
  progress({ phase: "parse", done: file.rows, total: file.rows, detail: name });
}

/** Writes descriptions for every track whose fields or artist genres changed since they were last described. */
export function describePending(store: Store, progress: ProgressSink = () => {}): number {
  const total = store.countDirty();
  let done = 0;
  for (let batch = store.dirtyTracks(2000); batch.length > 0; batch = store.dirtyTracks(2000)) {
    store.saveDescriptions(
      batch.map((t) => {
        const description = describeTrack(t);
        return { rowid: t.rowid, genres: t.allGenres, description, hash: descriptionHash(description) };
      }),
    );
    done += batch.length;
    progress({ phase: "describe", done, total });
  }
  return done;
}

/** Embeds every description whose hash differs from the one its stored vector was made from. */
export async function embedPending(
  store: Store,
  embedder: Embedder,
  batchSize: number,
  progress: ProgressSink = () => {},
): Promise<number> {
  const total = store.countPendingEmbeddings();
  let done = 0;
  progress({ phase: "embed", done, total });
  // Fetch several model batches at once and group by length, so padding wastes little compute.
  for (
    let pending = store.pendingEmbeddings(batchSize * 8);
    pending.length > 0;
    pending = store.pendingEmbeddings(batchSize * 8)
  ) {
    const sorted = [...pending].sort((a, b) => a.description.length - b.description.length);
    const results: Array<{ rowid: number; hash: string; vector: Float32Array }> = [];
    for (let i = 0; i < sorted.length; i += batchSize) {
      const slice = sorted.slice(i, i + batchSize);
      const vectors = await embedder.embed(
        slice.map((p) => p.description),
        "document",
      );
      slice.forEach((p, j) => {
        const vector = vectors[j];
        if (vector) results.push({ rowid: p.rowid, hash: p.hash, vector });
      });
      progress({ phase: "embed", done: done + results.length, total });
    }
    store.saveEmbeddings(results);
    done += results.length;
  }
  return done;
}
