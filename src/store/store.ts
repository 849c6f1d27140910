/**
 * The store's public module: the concern interfaces and their types, and openStore, which composes the SQLite
 * parts (one per concern, in ./sqlite) into one Store.
 */
import {
  DEFAULT_INDEXED_SEARCH,
  type IndexedSearchOptions,
  IndexedVectorSearch,
  indexPathFor,
} from "./ann/indexed-search.js";
import { SqliteCatalogReader } from "./sqlite/catalog-reader.js";
import { SqliteCatalogWriter } from "./sqlite/catalog-writer.js";
import { SqliteConcepts } from "./sqlite/concepts.js";
import { SqliteIngestQueue } from "./sqlite/ingest-queue.js";
import { SqliteLikes } from "./sqlite/likes.js";
import { SqliteLyrics } from "./sqlite/lyrics.js";
import { Meta } from "./sqlite/meta.js";
import { type OpenOptions, openDatabase } from "./sqlite/open.js";
import { SqlitePlaylists } from "./sqlite/playlists.js";
import { SqliteTags } from "./sqlite/tags.js";
import { SqliteVectorIndex } from "./sqlite/vector-index.js";
import { SqliteVectorPages } from "./sqlite/vector-pages.js";
import type {
  CatalogReader,
  CatalogWriter,
  ConceptCache,
  IngestQueue,
  LikesStore,
  LyricsStore,
  PlaylistStore,
  Store,
  TagStore,
  VectorIndex,
} from "./types.js";

export { FILTER_FIELDS, type FilterField } from "../domain/fields.js";
export { mismatchError } from "./errors.js";
export {
  acquireWriterLock,
  type LockHolder,
  type LockOptions,
  lockPathFor,
  type WriterLock,
} from "./lock.js";
export { mergeTrackRows } from "./merge.js";
export type { OpenOptions } from "./sqlite/open.js";
export type {
  CatalogReader,
  CatalogWriter,
  ConceptCache,
  DescribedTrack,
  EmbeddedTrack,
  FeatureProfile,
  FeatureTarget,
  IngestQueue,
  LikesStore,
  LyricsReader,
  LyricsRecord,
  LyricsStore,
  ModelInfo,
  PendingEmbedding,
  PlaylistRecord,
  PlaylistStore,
  PlaylistSummary,
  Range,
  Store,
  StoredTrack,
  StoreStats,
  TagRunRecord,
  TagRunUpdate,
  TagStore,
  TrackFilters,
  TrackLyrics,
  TrackTags,
  UpsertCounts,
  VectorIndex,
  VectorIndexState,
} from "./types.js";

// The methods each part lends the Store; `satisfies` keeps each list complete as its interface grows.
const WRITER = { upsertTracks: true, upsertArtists: true } satisfies Record<keyof CatalogWriter, true>;
const QUEUE = {
  countDirty: true,
  dirtyTracks: true,
  saveDescriptions: true,
  countPendingEmbeddings: true,
  pendingEmbeddings: true,
  optimize: true,
} satisfies Record<keyof IngestQueue, true>;
const VECTORS = {
  modelInfo: true,
  useModel: true,
  resetVectors: true,
  saveEmbeddings: true,
  knn: true,
  vectorOf: true,
  hasVectors: true,
  syncIndex: true,
  indexState: true,
} satisfies Record<keyof VectorIndex, true>;
const READER = {
  getTracks: true,
  trackById: true,
  filterOnly: true,
  closestTo: true,
  countMatching: true,
  versionsOf: true,
  findArtist: true,
  artistNamesStartingWith: true,
  findTitles: true,
  profile: true,
  genreLabels: true,
  genreOverlap: true,
  hasYears: true,
  stats: true,
  featureDensity: true,
} satisfies Record<keyof CatalogReader, true>;
const LIKES = { likes: true, addLikes: true, removeLikes: true, likeProfiles: true } satisfies Record<
  keyof LikesStore,
  true
>;
const PLAYLISTS = {
  putPlaylist: true,
  playlistRecord: true,
  playlistSummaries: true,
  removePlaylist: true,
} satisfies Record<keyof PlaylistStore, true>;
const CONCEPTS = { conceptVectors: true, saveConceptVectors: true } satisfies Record<
  keyof ConceptCache,
  true
>;

const TAGS = {
  cachedTags: true,
  saveTags: true,
  startTagRun: true,
  updateTagRun: true,
  tagRuns: true,
  taggedCounts: true,
  hasLlmTags: true,
} satisfies Record<keyof TagStore, true>;
const LYRICS = {
  lyricsHashes: true,
  saveLyrics: true,
  lyricsCount: true,
  hasLyrics: true,
  lyricsOf: true,
  nearestLyrics: true,
} satisfies Record<keyof LyricsStore, true>;

/** The listed methods of a part, bound to it: the Store is a plain object whose methods can be passed around. */
function lend<I extends object>(part: I, methods: Record<keyof I, true>): I {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(methods)) {
    const method = (part as Record<string, unknown>)[name];
    if (typeof method === "function") out[name] = method.bind(part);
  }
  return out as I;
}

/** How to open a store: the database (OpenOptions) and its vector search. */
export interface StoreOptions extends OpenOptions {
  /** When the ANN index is built and used; defaults from SPOTIVEC_VECTOR_SEARCH=exact, SPOTIVEC_ANN_MIN_VECTORS, SPOTIVEC_ANN_FETCH_MAX, SPOTIVEC_ANN_SCAN_MAX. */
  vectorSearch?: Partial<IndexedSearchOptions>;
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function indexedSearchOptions(options: StoreOptions): IndexedSearchOptions {
  return {
    useIndex: options.vectorSearch?.useIndex ?? process.env.SPOTIVEC_VECTOR_SEARCH !== "exact",
    minVectors:
      options.vectorSearch?.minVectors ??
      envNumber("SPOTIVEC_ANN_MIN_VECTORS") ??
      DEFAULT_INDEXED_SEARCH.minVectors,
    fetchMax:
      options.vectorSearch?.fetchMax ??
      envNumber("SPOTIVEC_ANN_FETCH_MAX") ??
      DEFAULT_INDEXED_SEARCH.fetchMax,
    scanMax:
      options.vectorSearch?.scanMax ?? envNumber("SPOTIVEC_ANN_SCAN_MAX") ?? DEFAULT_INDEXED_SEARCH.scanMax,
  };
}

/**
 * Opens the database at path as one Store. Writers (the default) create and migrate it; `{ readonly: true }` opens
 * an existing spotivec database without changing anything, and its write methods fail.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const db = openDatabase(path, options);
  const meta = new Meta(db);
  const vectors = new SqliteVectorIndex(db, meta, path);
  const indexed = new IndexedVectorSearch(db, vectors, indexPathFor(path), indexedSearchOptions(options));
  const queue = new SqliteIngestQueue(db, vectors);
  const pages = new SqliteVectorPages(db);
  return {
    path,
    ...lend<CatalogWriter>(new SqliteCatalogWriter(db), WRITER),
    ...lend<IngestQueue>(queue, QUEUE),
    ...lend<VectorIndex>(vectors, VECTORS),
    knn: (vector, k, filters) => indexed.knn(vector, k, filters),
    syncIndex: (progress) => indexed.sync(progress),
    indexState: () => indexed.state(),
    ...lend<CatalogReader>(new SqliteCatalogReader(db, meta), READER),
    ...lend<LikesStore>(new SqliteLikes(db), LIKES),
    ...lend<PlaylistStore>(new SqlitePlaylists(db), PLAYLISTS),
    ...lend<ConceptCache>(new SqliteConcepts(db), CONCEPTS),
    ...lend<TagStore>(new SqliteTags(db), TAGS),
    ...lend<LyricsStore>(new SqliteLyrics(db), LYRICS),
    vectorPage: (after, limit) => pages.vectorPage(after, limit),
    optimize: () => queue.optimize(),
    close: () => db.close(),
  };
}
