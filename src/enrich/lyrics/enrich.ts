/**
 * Lyrics enrichment: a lyrics CSV streamed, each row matched to catalog songs, its lyrics chunked, embedded with the
 * catalog's model, given theme words, and stored per track (every version of the song) as a vector, themes and a
 * content hash; never the text. One transaction per batch: an interrupted run keeps what it stored, and a rerun skips
 * the rows whose hash is unchanged.
 */
import { SpotivecError } from "../../domain/errors.js";
import { AtomicFile } from "../../domain/files.js";
import { type ProgressSink, silentProgress } from "../../domain/progress.js";
import { embedInBatches } from "../../embed/batch.js";
import type { Embedder } from "../../embed/embedder.js";
import { CatalogIndex } from "../../store/match/index.js";
import { mismatchError } from "../../store/store.js";
import type {
  CatalogReader,
  ConceptCache,
  LyricsRecord,
  LyricsStore,
  VectorIndex,
} from "../../store/types.js";
import { combineChunks, lyricsChunks, lyricsHash } from "./chunks.js";
import { deriveThemes, type ThemeVectors, themeVectors } from "./derive.js";
import { matchLyricsRow } from "./match.js";
import { type LyricsRow, openLyrics } from "./read.js";
import { THEME_VOCABULARY_VERSION } from "./themes.js";

/** What enrichment reads and writes. */
export type LyricsEnrichStore = CatalogReader &
  LyricsStore &
  ConceptCache &
  Pick<VectorIndex, "modelInfo"> & { readonly path: string };

/** Chunks embedded per round; the songs they belong to are stored in one transaction. */
export const LYRICS_BATCH_CHUNKS = 64;
/** Chunks per model batch within a round, grouped by length: a chunk ends a stanza early or packs 120 words. */
const LYRICS_MODEL_BATCH = 16;

export interface LyricsEnrichOptions {
  file: string;
  store: LyricsEnrichStore;
  embedder: Embedder;
  /** Where the rows that gave no lyrics are listed, one JSON object a line (line, artist, song, status, reason). */
  unmatchedPath: string;
  batchChunks?: number;
  progress?: ProgressSink;
}

/** A row that gave no lyrics, as the unmatched file lists it. */
export interface LyricsMiss {
  line: number;
  artist: string;
  song: string;
  status: "ambiguous" | "unmatched" | "duplicate" | "invalid";
  reason: string;
}

export interface LyricsEnrichSummary {
  file: string;
  rows: number;
  matched: number;
  /** Of the matched rows, how many by fuzzy spelling. */
  fuzzy: number;
  ambiguous: number;
  unmatched: number;
  /** Rows naming a song an earlier row already gave lyrics. */
  duplicate: number;
  /** Rows that could not be read, or have no lyrics text. */
  invalid: number;
  /** matched / rows. */
  matchRate: number;
  /** Catalog tracks (every version of each matched song) given lyrics by this file. */
  tracks: number;
  /** Of those, stored now (new or changed), and left as they were (same content hash). */
  stored: number;
  unchanged: number;
  chunks: number;
  /** Tracks with lyrics of this model in the database after the run. */
  totalWithLyrics: number;
  unmatchedFile: string;
  seconds: number;
}

/** A matched song waiting for its vectors. */
interface PendingSong {
  rowids: number[];
  hash: string;
  chunks: Array<{ text: string; words: number }>;
}

/** The catalog must hold vectors of the embedder's model: lyrics vectors are compared with them in one space. */
function requireCatalogModel(store: LyricsEnrichStore, embedder: Embedder): void {
  const stored = store.modelInfo();
  if (!stored || store.stats().tracks === 0) {
    throw new SpotivecError("EMPTY_STORE", `The database at ${store.path} has no catalog to enrich`, {
      expected: "a database filled by `spotivec ingest`",
      got: stored ? "no tracks" : "no embedded tracks",
      hint: `Run \`spotivec ingest <dataset.csv> --db ${store.path}\` first.`,
    });
  }
  if (stored.model !== embedder.model || stored.dims !== embedder.dims)
    throw mismatchError(store.path, stored, { model: embedder.model, dims: embedder.dims });
}

/** Embeds the pending songs' chunks, derives their themes and stores them in one transaction. */
async function storeSongs(
  songs: readonly PendingSong[],
  embedder: Embedder,
  themes: ThemeVectors,
  store: LyricsEnrichStore,
): Promise<number> {
  const texts = songs.flatMap((s) => s.chunks.map((c) => c.text));
  const vectors = await embedInBatches(embedder, texts, "document", { batchSize: LYRICS_MODEL_BATCH });
  const records: LyricsRecord[] = [];
  let i = 0;
  for (const song of songs) {
    const own = vectors.slice(i, i + song.chunks.length);
    i += song.chunks.length;
    const vector = combineChunks(
      own,
      song.chunks.map((c) => c.words),
    );
    const record = { hash: song.hash, model: embedder.model, vector, chunks: song.chunks.length };
    const themeWords = deriveThemes(vector, themes);
    for (const rowid of song.rowids) records.push({ rowid, ...record, themes: themeWords });
  }
  store.saveLyrics(records);
  return records.length;
}

/** The miss a row is, or the song to store (null when it is already stored with this hash). */
type RowOutcome =
  | { kind: "miss"; miss: LyricsMiss }
  | { kind: "song"; song: PendingSong | null; rowids: number[]; fuzzy: boolean };

function classify(
  row: LyricsRow,
  catalog: CatalogIndex,
  store: LyricsEnrichStore,
  model: string,
  claimed: Map<number, number>,
): RowOutcome {
  if (row.kind === "broken")
    return {
      kind: "miss",
      miss: { line: row.line, artist: "", song: "", status: "invalid", reason: row.reason },
    };
  const base = { line: row.line, artist: row.artist, song: row.song };
  const chunks = lyricsChunks(row.text);
  if (chunks.length === 0)
    return { kind: "miss", miss: { ...base, status: "invalid", reason: "no lyrics text" } };
  const m = matchLyricsRow(catalog, row.artist, row.song);
  if (m.status !== "matched")
    return { kind: "miss", miss: { ...base, status: m.status, reason: m.reason ?? m.status } };
  const rowids = store.versionsOf(m.tracks.map((t) => t.rowid));
  const earlier = rowids.map((r) => claimed.get(r)).find((l) => l !== undefined);
  if (earlier !== undefined) {
    const reason = `the same catalog song as line ${earlier} (${m.tracks[0]?.artists.join(", ")} - ${m.tracks[0]?.name})`;
    return { kind: "miss", miss: { ...base, status: "duplicate", reason } };
  }
  for (const r of rowids) claimed.set(r, row.line);
  const hash = lyricsHash(row.text, model, THEME_VOCABULARY_VERSION);
  const stored = store.lyricsHashes(rowids);
  const unchanged = rowids.every((r) => stored.get(r) === hash);
  return {
    kind: "song",
    song: unchanged ? null : { rowids, hash, chunks },
    rowids,
    fuzzy: m.how === "fuzzy",
  };
}

function emptySummary(file: string, unmatchedFile: string): LyricsEnrichSummary {
  return {
    file,
    rows: 0,
    matched: 0,
    fuzzy: 0,
    ambiguous: 0,
    unmatched: 0,
    duplicate: 0,
    invalid: 0,
    matchRate: 0,
    tracks: 0,
    stored: 0,
    unchanged: 0,
    chunks: 0,
    totalWithLyrics: 0,
    unmatchedFile,
    seconds: 0,
  };
}

/** Enriches the catalog with the lyrics file; returns the counts. The unmatched file is written when done. */
export async function enrichLyrics(options: LyricsEnrichOptions): Promise<LyricsEnrichSummary> {
  const { store, embedder, file } = options;
  const progress = options.progress ?? silentProgress;
  const started = Date.now();
  requireCatalogModel(store, embedder);
  const source = await openLyrics(file);
  const report = new AtomicFile(options.unmatchedPath, {
    expected: "a writable path for the unmatched-rows report",
    hint: "Choose another path with --unmatched, in a directory you may write to.",
  });
  try {
    const catalog = new CatalogIndex(store, (done, total) => progress({ phase: "catalog", done, total }));
    const themes = await themeVectors(embedder, store);
    const summary = emptySummary(file, options.unmatchedPath);
    const claimed = new Map<number, number>();
    let pending: PendingSong[] = [];
    let pendingChunks = 0;
    const flush = async () => {
      if (pending.length > 0) summary.stored += await storeSongs(pending, embedder, themes, store);
      pending = [];
      pendingChunks = 0;
    };
    for await (const row of source.rows) {
      summary.rows++;
      const outcome = classify(row, catalog, store, embedder.model, claimed);
      if (outcome.kind === "miss") {
        summary[outcome.miss.status]++;
        report.write(`${JSON.stringify(outcome.miss)}\n`);
      } else {
        summary.matched++;
        if (outcome.fuzzy) summary.fuzzy++;
        summary.tracks += outcome.rowids.length;
        if (outcome.song === null) summary.unchanged += outcome.rowids.length;
        else {
          pending.push(outcome.song);
          pendingChunks += outcome.song.chunks.length;
          summary.chunks += outcome.song.chunks.length;
        }
      }
      if (pendingChunks >= (options.batchChunks ?? LYRICS_BATCH_CHUNKS)) await flush();
      const read = source.bytesRead();
      const total = read > 0 ? Math.max(summary.rows, Math.round((summary.rows * source.size) / read)) : null;
      if (summary.rows % 50 === 0) progress({ phase: "enrich", done: summary.rows, total });
    }
    await flush();
    progress({ phase: "enrich", done: summary.rows, total: summary.rows });
    report.commit();
    summary.matchRate = summary.rows > 0 ? Math.round((summary.matched / summary.rows) * 10000) / 10000 : 0;
    summary.totalWithLyrics = store.lyricsCount(embedder.model);
    summary.seconds = Math.round((Date.now() - started) / 100) / 10;
    return summary;
  } catch (e) {
    report.abort();
    throw e;
  }
}
