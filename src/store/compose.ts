/**
 * Composing a Store from parts: the methods each part lends it (each list kept complete by `satisfies` as its
 * interface grows), bound, so the Store is a plain object whose methods can be passed around. Both stores (SQLite,
 * PostgreSQL) are put together this way.
 */
import { SpotivecError } from "../domain/errors.js";
import type { VectorPage } from "./sqlite/vector-pages.js";
import type {
  CatalogReaderPart,
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
  vectorsOf: true,
  hasVectors: true,
  syncIndex: true,
  indexState: true,
} satisfies Record<keyof VectorIndex, true>;
const READER = {
  getTracks: true,
  tracksByIds: true,
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
} satisfies Record<keyof CatalogReaderPart, true>;
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

function unsupported(what: string): never {
  throw new SpotivecError("DB_UNSUPPORTED", `${what} is not available on this store yet`, {
    expected: "a SQLite database (--db FILE) for lyrics and LLM tags",
    got: "a store without them (PostgreSQL)",
  });
}

/** A store without lyrics or LLM tags: reads answer none, writes refuse. */
const NO_TAGS: TagStore = {
  cachedTags: () => new Map(),
  saveTags: () => unsupported("`enrich tags`"),
  startTagRun: () => unsupported("`enrich tags`"),
  updateTagRun: () => unsupported("`enrich tags`"),
  tagRuns: () => [],
  taggedCounts: () => [],
  hasLlmTags: () => false,
};

const NO_LYRICS: LyricsStore = {
  lyricsHashes: () => new Map(),
  saveLyrics: () => unsupported("`enrich lyrics`"),
  lyricsCount: () => 0,
  hasLyrics: () => false,
  lyricsOf: () => new Map(),
  nearestLyrics: () => [],
};

/** One object per concern; each lends the Store the methods of its interface. */
export interface StoreParts {
  writer: CatalogWriter;
  queue: IngestQueue;
  vectors: VectorIndex;
  reader: CatalogReaderPart;
  likes: LikesStore;
  playlists: PlaylistStore;
  concepts: ConceptCache;
  /** Without them (the PostgreSQL store, so far), reads answer "none" and writes refuse with DB_UNSUPPORTED. */
  tags?: TagStore;
  lyrics?: LyricsStore;
}

/** What a Store has beyond its parts' methods. */
export interface StoreOwn {
  path: string;
  vectorPage(afterRowid: number, limit: number): VectorPage;
  close(): void;
}

/** The Store of these parts; `over` replaces single methods (the SQLite store's indexed knn). */
export function composeStore(parts: StoreParts, own: StoreOwn, over: Partial<Store> = {}): Store {
  const reader = lend(parts.reader, READER);
  return {
    ...lend(parts.writer, WRITER),
    ...lend(parts.queue, QUEUE),
    ...lend(parts.vectors, VECTORS),
    ...reader,
    // One lookup by Spotify id for both stores: the list of one.
    trackById: (id) => reader.tracksByIds([id])[0] ?? null,
    ...lend(parts.likes, LIKES),
    ...lend(parts.playlists, PLAYLISTS),
    ...lend(parts.concepts, CONCEPTS),
    ...lend(parts.tags ?? NO_TAGS, TAGS),
    ...lend(parts.lyrics ?? NO_LYRICS, LYRICS),
    ...own,
    ...over,
  };
}
