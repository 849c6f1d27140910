import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { basename } from "node:path";
import { SpotivecError } from "../domain/errors.js";
import type { ProgressSink } from "../domain/progress.js";
import type { ArtistRow, TrackRow } from "../domain/track.js";
import { embedInBatches } from "../embed/batch.js";
import type { Embedder } from "../embed/embedder.js";
import type { Store, UpsertCounts } from "../store/store.js";
import { type CsvSource, type OpenCsvOptions, openCsv } from "./csv.js";
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
  /** How files are opened and read: the record length bound, and (in tests) the open call. */
  csv?: OpenCsvOptions;
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
  // The rejects file describes the latest run that had rejects: replaced at this run's first reject, removed
  // at the end of a run without any, and left alone when the run fails before either.
  const rejects = new RejectsFile(options.rejectsPath);
  try {
    const reject = rejecter(options, summary, rejects);
    const sources = await openSources(options.files, options.csv);
    try {
      for (const source of sources) await readSource(source, options, summary, reject);
    } finally {
      // Files not read because an earlier one failed are closed (a finished one is left as it is).
      for (const s of sources) await s.source.items.return(undefined);
    }
  } finally {
    rejects.close();
  }
  if (!rejects.written) rmSync(options.rejectsPath, { force: true });

  const refreshed = await refreshDerived(store, embedder, options.embedBatch ?? 64, progress);
  summary.described = refreshed.described;
  summary.embedded = refreshed.embedded;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/**
 * What follows any change to tracks (ingest, new LLM tags): their descriptions, the vectors of changed descriptions
 * (none without an embedder), the planner's statistics, and the ANN index, derived from the vectors: rebuilt when
 * missing or stale (crash, older build, re-embedded tracks).
 */
export async function refreshDerived(
  store: Store,
  embedder: Embedder | null,
  embedBatch: number,
  progress: ProgressSink,
): Promise<{ described: number; embedded: number }> {
  const described = describePending(store, progress);
  const embedded = embedder ? await embedPending(store, embedder, embedBatch, progress) : 0;
  if (described > 0) store.optimize();
  store.syncIndex?.(progress);
  return { described, embedded };
}

type Reject = (r: Rejection) => void;

/** The rejects file, created (replacing the last run's) only when the first reject of this run is written. */
class RejectsFile {
  private fd: number | null = null;
  written = false;

  constructor(private readonly path: string) {}

  write(r: Rejection): void {
    if (this.fd === null) {
      this.fd = openSync(this.path, "w");
      this.written = true;
    }
    writeSync(this.fd, `${JSON.stringify(r)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Counts a bad row, appends it to the rejects file, and stops the run under --strict. */
function rejecter(options: IngestOptions, summary: IngestSummary, rejects: RejectsFile): Reject {
  return (r) => {
    summary.rejected++;
    summary.rejectsFile = options.rejectsPath;
    rejects.write(r);
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
  /** Fields in the header: every row must have as many. */
  width: number;
}

/** Every file's layout is checked before any is read, so a wrong file fails fast; artists files come first. */
async function openSources(files: readonly string[], csv: OpenCsvOptions = {}): Promise<OpenSource[]> {
  const sources: OpenSource[] = [];
  try {
    for (const path of files) sources.push(await openSource(path, csv));
  } catch (e) {
    for (const s of sources) await s.source.items.return(undefined);
    throw e;
  }
  // Artists first: tracks read afterwards get their artists' genres in the same run.
  const isArtists = (s: OpenSource) => Number(s.layout.name === "artists-600k");
  return sources.sort((a, b) => isArtists(b) - isArtists(a));
}

/** Opens one file and reads its header. */
async function openSource(path: string, csv: OpenCsvOptions): Promise<OpenSource> {
  const source = openCsv(path, csv);
  try {
    const first = await source.items.next();
    const header = first.done ? undefined : first.value;
    if (header?.kind !== "record") {
      throw new SpotivecError("UNKNOWN_LAYOUT", `${path}: no header row`, {
        expected: "a CSV file whose first line is a header",
        got: header ? `an unparseable first line (${header.reason})` : "an empty file",
        hint: "Pass the original Spotify CSV with its header row.",
      });
    }
    return { path, source, width: header.fields.length, ...detectLayout(header.fields, path) };
  } catch (e) {
    await source.items.return(undefined);
    throw e;
  }
}

/** One file's rows, normalized and written in batches of writeBatch rows. */
async function readSource(
  { path, source, layout, columns, width }: OpenSource,
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
  try {
    for await (const item of source.items) {
      file.rows++;
      summary.rowsRead++;
      const row =
        item.kind === "broken"
          ? { ok: false as const, reason: item.reason }
          : layout.name === "artists-600k"
            ? normalizeArtist(item.fields, columns, width)
            : normalizeTrack(layout.name, item.fields, columns, width);
      if (!row.ok) {
        file.rejected++;
        reject({ file: path, line: item.line, reason: row.reason, raw: item.raw });
      } else if ("artists" in row.value) trackBatch.push(row.value);
      else artistBatch.push(row.value);
      if (trackBatch.length + artistBatch.length >= (options.writeBatch ?? 2000)) flush();
    }
  } catch (e) {
    // Whatever stopped the file (a read fault, --strict), the valid rows read before it are kept.
    flush();
    throw withStoredCount(e, file);
  }
  flush();
  progress({ phase: "parse", done: file.rows, total: file.rows, detail: name });
}

/** A read fault, saying how many of the file's rows were stored before it. */
function withStoredCount(error: unknown, file: FileSummary): unknown {
  if (!(error instanceof SpotivecError) || !/^FILE_/.test(error.code)) return error;
  const stored = file.rows - file.rejected;
  const rejected = file.rejected > 0 ? ` (${file.rejected} rejected)` : "";
  return new SpotivecError(
    error.code,
    `${error.message}; the ${stored} valid rows read before it were stored${rejected}`,
    {
      expected: error.expected,
      got: error.got,
      hint: `${error.hint} Rows already stored are kept: the next ingest goes on from there.`,
    },
    { cause: error },
  );
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
  // Many model batches per fetch: more room to group by length and to find identical descriptions.
  const fetch = batchSize * 16;
  for (
    let pending = store.pendingEmbeddings(fetch);
    pending.length > 0;
    pending = store.pendingEmbeddings(fetch)
  ) {
    const texts = pending.map((p) => p.description);
    const vectors = await embedInBatches(embedder, texts, "document", {
      batchSize,
      onBatch: (embedded, distinct) =>
        progress({ phase: "embed", done: done + Math.round((embedded / distinct) * pending.length), total }),
    });
    store.saveEmbeddings(
      pending.map((p, i) => ({ rowid: p.rowid, hash: p.hash, vector: vectors[i] as Float32Array })),
    );
    done += pending.length;
  }
  return done;
}
