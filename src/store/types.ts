/**
 * The persistence boundary, split by concern: each stage depends only on the part it uses (ingest writes the
 * catalog and works the queue, search reads the catalog and the vectors, likes keeps its lists).
 */
import type { FilterField, ProfileField } from "../domain/fields.js";
import type { ProgressSink } from "../domain/progress.js";
import type { ArtistRow, Track, TrackRow } from "../domain/track.js";

export interface Range {
  min?: number;
  max?: number;
}

export interface TrackFilters {
  ranges?: Partial<Record<FilterField, Range>>;
  /** Any of these genre labels (already normalized). */
  genres?: string[];
  /** Any of these artists (normalized with normName). */
  artists?: string[];
  /** Only these tracks. */
  rowids?: number[];
  explicit?: boolean;
}

/** Distribution of a set of tracks' features, for profiles like "what hardstyle sounds like". */
export interface FeatureProfile {
  count: number;
  /** Percentiles 10, 25, 50, 75, 90 of each feature. */
  percentiles: Record<ProfileField, [number, number, number, number, number]>;
}

/** A feature value to get near: "high" wants at least `value`, "low" at most, "near" as close as possible. */
export interface FeatureTarget {
  field: FilterField;
  value: number;
  direction: "high" | "low" | "near";
  /** Distance that counts as one unit of misfit. */
  scale: number;
  weight: number;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface StoredTrack extends Track {
  rowid: number;
  description: string | null;
}

export interface PendingEmbedding {
  rowid: number;
  description: string;
  hash: string;
}

export interface ModelInfo {
  model: string;
  dims: number;
}

export interface StoreStats {
  tracks: number;
  embedded: number;
  artists: number;
  genres: number;
  model: ModelInfo | null;
}

export interface DescribedTrack {
  rowid: number;
  genres: string[];
  description: string;
  hash: string;
}

export interface EmbeddedTrack {
  rowid: number;
  hash: string;
  vector: Float32Array;
}

/** Rows from the CSV files, merged into the catalog. */
export interface CatalogWriter {
  upsertTracks(rows: readonly TrackRow[]): UpsertCounts;
  upsertArtists(rows: readonly ArtistRow[]): UpsertCounts;
}

/** The work ingest resumes: tracks to describe, then descriptions to embed. */
export interface IngestQueue {
  countDirty(): number;
  dirtyTracks(limit: number): StoredTrack[];
  saveDescriptions(items: readonly DescribedTrack[]): void;
  countPendingEmbeddings(): number;
  pendingEmbeddings(limit: number): PendingEmbedding[];
  /** Refreshes the query planner's statistics after bulk writes. */
  optimize(): void;
}

/** One vector per described track, from one model, searchable with the filters inside the KNN. */
export interface VectorIndex {
  modelInfo(): ModelInfo | null;
  /** Records the model and creates the vector table on first use. */
  useModel(info: ModelInfo): void;
  /** Drops all vectors so a different model can rebuild them. */
  resetVectors(info: ModelInfo): void;
  saveEmbeddings(items: readonly EmbeddedTrack[]): void;
  knn(vector: Float32Array, k: number, filters: TrackFilters): Array<{ rowid: number; distance: number }>;
  /** The stored vectors of these tracks (those that have one), in one read. */
  vectorsOf(rowids: readonly number[]): Map<number, Float32Array>;
  /** Whether any track has a vector (cheap: searches check it each time; counting reads every row). */
  hasVectors(): boolean;
  /** Builds the ANN index beside the database when it is missing or stale (ingest does, at its end). */
  syncIndex?(progress?: ProgressSink): VectorIndexState;
  /** How knn answers now: from the ANN index, or by an exact scan (and why). */
  indexState?(): VectorIndexState;
}

/** How vector searches are answered: an HNSW index checked against the database, or an exact scan, and why. */
export interface VectorIndexState {
  mode: "hnsw" | "exact";
  reason: string;
  vectors: number;
  /** The database's vector generation (bumped by every vector write); the index records the one it was built from. */
  generation: number;
  /** The index file, or null for an in-memory database. */
  file: string | null;
}

/** A store's catalog reader, as each store writes it: trackById is derived from tracksByIds (composeStore). */
export type CatalogReaderPart = Omit<CatalogReader, "trackById">;

/** What planning and search read from the catalog. */
export interface CatalogReader {
  getTracks(rowids: readonly number[]): StoredTrack[];
  trackById(id: string): StoredTrack | null;
  /** The stored tracks with these Spotify ids, in one query (ids not stored are left out; any order). */
  tracksByIds(ids: readonly string[]): StoredTrack[];
  /** Without a query text: tracks passing the filters, most popular first. */
  filterOnly(k: number, filters: TrackFilters): number[];
  /** Tracks passing the filters, closest to these targets first (sum of scaled distances past each target). */
  closestTo(k: number, filters: TrackFilters, targets: readonly FeatureTarget[]): number[];
  /** Tracks passing the filters, counted (no vectors needed). */
  countMatching(filters: TrackFilters): number;
  /** These tracks and every other version of the same songs (same artists and base title). */
  versionsOf(rowids: readonly number[]): number[];
  /** Canonical spelling of an artist whose normalized name is given, or null. */
  findArtist(norm: string): string | null;
  /** Normalized artist names starting with a prefix (for fuzzy matching). */
  artistNamesStartingWith(prefix: string, limit: number): string[];
  /** Tracks whose title matches the words (full-text), best matches first. */
  findTitles(title: string, limit: number): StoredTrack[];
  profile(filters: TrackFilters): FeatureProfile | null;
  genreLabels(): string[];
  /**
   * The other labels of the tracks carrying `label`, each with the share of those tracks (0..1), largest first:
   * the catalog's own evidence of which genres go together (114K: 59% of alt-rock tracks are also alternative).
   */
  genreOverlap(label: string): Array<{ genre: string; share: number }>;
  hasYears(): boolean;
  stats(): StoreStats;
  /**
   * Tracks per cell of a bins x bins grid over two fields, each scaled by its min..max in the field table
   * ([xBin][yBin]; a value at the maximum falls in the last bin, tracks outside either range are not counted).
   */
  featureDensity(x: FilterField, y: FilterField, bins: number): number[][];
}

/** Saved likes: rowids per profile. */
export interface LikesStore {
  likes(profile: string): number[];
  addLikes(profile: string, items: ReadonlyArray<{ rowid: number; entry: string }>): number;
  removeLikes(profile: string, rowids: readonly number[]): number;
  likeProfiles(): Array<{ profile: string; tracks: number }>;
}

/**
 * A saved playlist as the store keeps it. The store knows nothing of the playlist's shape beyond its name, its
 * query and its track count: source and tracks are JSON values the playlists stage reads and writes.
 */
export interface PlaylistRecord {
  name: string;
  /** The search text, for listings ("" for a hand-picked playlist or a filter-only search). */
  query: string;
  source: unknown;
  tracks: unknown[];
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
}

export interface PlaylistSummary {
  name: string;
  tracks: number;
  query: string;
  updatedAt: string;
}

/** Saved playlists, by exact name. */
export interface PlaylistStore {
  /** Inserts the playlist, or replaces the one of the same name. */
  putPlaylist(record: PlaylistRecord): void;
  playlistRecord(name: string): PlaylistRecord | null;
  /** Every playlist, by name. */
  playlistSummaries(): PlaylistSummary[];
  /** False when there was none of that name. */
  removePlaylist(name: string): boolean;
}

/** Embedded concept phrases, per model, so planning embeds each phrase once. */
export interface ConceptCache {
  conceptVectors(model: string): Map<string, Float32Array>;
  saveConceptVectors(model: string, vectors: ReadonlyMap<string, Float32Array>): void;
}

/** Validated LLM tags of one track, and the content hash of what was sent about it. */
export interface TrackTags {
  rowid: number;
  inputHash: string;
  tags: string[];
}

/** One `enrich tags` run as the log keeps it. */
export interface TagRunRecord {
  id: number;
  provider: string;
  model: string;
  status: "running" | "done" | "budget" | "failed" | "batch-pending";
  startedAt: string;
  finishedAt: string | null;
  /** A provider batch submitted and not yet collected, and what the run needs to read it back. */
  batchId: string | null;
  batch: unknown;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  counts: Record<string, number>;
}

export type TagRunUpdate = Partial<
  Pick<
    TagRunRecord,
    "status" | "batchId" | "batch" | "requests" | "inputTokens" | "outputTokens" | "costUsd" | "counts"
  >
>;

/**
 * LLM tags: a cache keyed by input hash and model (reruns cost nothing), each track's tags with their model, and a
 * run log. Saving tags marks the tracks whose tags changed for a new description (so only they are re-embedded).
 */
export interface TagStore {
  cachedTags(model: string, inputHashes: readonly string[]): Map<string, string[]>;
  /** Caches and applies the tags; returns how many tracks' tags changed. */
  saveTags(model: string, items: readonly TrackTags[]): number;
  startTagRun(provider: string, model: string): number;
  updateTagRun(id: number, update: TagRunUpdate): void;
  /** The latest runs first. */
  tagRuns(limit: number): TagRunRecord[];
  /** Tracks with LLM tags, per model. */
  taggedCounts(): Array<{ model: string; tracks: number }>;
  /** Whether any track has LLM tags (the planner then knows their words). */
  hasLlmTags(): boolean;
}

/** One track's lyrics as stored: a vector and theme words, never the text (it is copyrighted). */
export interface LyricsRecord {
  rowid: number;
  /** Content hash of what made the record (lyrics text, model, chunking, theme vocabulary). */
  hash: string;
  /** The model of the vector: the same as the catalog's vectors. */
  model: string;
  /** The lyrics' chunk vectors combined (see src/enrich/lyrics/chunks.ts), L2-normalized. */
  vector: Float32Array;
  /** Theme words of the documented vocabulary (src/enrich/lyrics/themes.ts), best first. */
  themes: string[];
  /** How many chunks were embedded. */
  chunks: number;
}

export interface TrackLyrics {
  rowid: number;
  vector: Float32Array;
  themes: string[];
}

/** Reading the lyrics enrichment: only records of the given model count (vectors of another model mean nothing). */
export interface LyricsReader {
  lyricsCount(model: string): number;
  /** Whether any track has lyrics of this model (planning asks on every search; no count needed). */
  hasLyrics(model: string): boolean;
  lyricsOf(rowids: readonly number[], model: string): Map<number, TrackLyrics>;
  /** Tracks whose lyrics vectors are nearest this vector (cosine similarity), best first. */
  nearestLyrics(vector: Float32Array, k: number, model: string): Array<{ rowid: number; similarity: number }>;
}

/** The lyrics enrichment: per-track vectors and themes, written in batches (one transaction each). */
export interface LyricsStore extends LyricsReader {
  /** The stored content hash of each of these tracks that has lyrics. */
  lyricsHashes(rowids: readonly number[]): Map<number, string>;
  /** Inserts or replaces the records, all in one transaction. */
  saveLyrics(items: readonly LyricsRecord[]): void;
}

/** Everything the pipeline and search need, nothing about how it is stored. */
export interface Store
  extends CatalogWriter,
    IngestQueue,
    VectorIndex,
    CatalogReader,
    LikesStore,
    PlaylistStore,
    ConceptCache,
    TagStore,
    LyricsStore {
  readonly path: string;
  /** Embedded tracks with their vectors after a rowid, by rowid, for exports (./sqlite/vector-pages.ts). */
  vectorPage(afterRowid: number, limit: number): import("./sqlite/vector-pages.js").VectorPage;
  close(): void;
}
