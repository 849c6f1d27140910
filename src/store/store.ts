/**
 * The store's public module: the concern interfaces and their types, and openStore, which composes the SQLite
 * parts (one per concern, in ./sqlite) into one Store.
 */

import { isPostgresUrl } from "../domain/db-url.js";
import {
  DEFAULT_INDEXED_SEARCH,
  type IndexedSearchOptions,
  IndexedVectorSearch,
  indexPathFor,
} from "./ann/indexed-search.js";
import { composeStore } from "./compose.js";
import { openPostgresStore } from "./postgres/store.js";
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
import type { Store } from "./types.js";

export { isPostgresUrl, redactSecrets } from "../domain/db-url.js";
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
 * Opens the database at path as one Store: a SQLite file, or a PostgreSQL database for a postgres:// URL. Writers (the default) create and migrate it; `{ readonly: true }` opens
 * an existing spotivec database without changing anything, and its write methods fail.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  if (isPostgresUrl(path)) {
    return openPostgresStore(path, { ...options, useIndex: indexedSearchOptions(options).useIndex });
  }
  const db = openDatabase(path, options);
  const meta = new Meta(db);
  const vectors = new SqliteVectorIndex(db, meta, path);
  const indexed = new IndexedVectorSearch(db, vectors, indexPathFor(path), indexedSearchOptions(options));
  const queue = new SqliteIngestQueue(db, vectors);
  const pages = new SqliteVectorPages(db);
  return composeStore(
    {
      writer: new SqliteCatalogWriter(db),
      queue,
      vectors,
      reader: new SqliteCatalogReader(db, meta),
      likes: new SqliteLikes(db),
      playlists: new SqlitePlaylists(db),
      concepts: new SqliteConcepts(db),
      tags: new SqliteTags(db),
      lyrics: new SqliteLyrics(db),
    },
    {
      path,
      vectorPage: (after, limit) => pages.vectorPage(after, limit),
      close: () => db.close(),
    },
    {
      knn: (vector, k, filters) => indexed.knn(vector, k, filters),
      syncIndex: (progress) => indexed.sync(progress),
      indexState: () => indexed.state(),
    },
  );
}
