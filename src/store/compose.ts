/**
 * Composing a Store from parts: the methods each part lends it (each list kept complete by `satisfies` as its
 * interface grows), bound, so the Store is a plain object whose methods can be passed around. Both stores (SQLite,
 * PostgreSQL) are put together this way.
 */
import type {
  CatalogReader,
  CatalogWriter,
  ConceptCache,
  IngestQueue,
  LikesStore,
  LyricsStore,
  PlaylistStore,
  TagStore,
  VectorIndex,
} from "./types.js";

export const WRITER = { upsertTracks: true, upsertArtists: true } satisfies Record<keyof CatalogWriter, true>;
export const QUEUE = {
  countDirty: true,
  dirtyTracks: true,
  saveDescriptions: true,
  countPendingEmbeddings: true,
  pendingEmbeddings: true,
  optimize: true,
} satisfies Record<keyof IngestQueue, true>;
export const VECTORS = {
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
export const READER = {
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
export const LIKES = { likes: true, addLikes: true, removeLikes: true, likeProfiles: true } satisfies Record<
  keyof LikesStore,
  true
>;
export const PLAYLISTS = {
  putPlaylist: true,
  playlistRecord: true,
  playlistSummaries: true,
  removePlaylist: true,
} satisfies Record<keyof PlaylistStore, true>;
export const CONCEPTS = { conceptVectors: true, saveConceptVectors: true } satisfies Record<
  keyof ConceptCache,
  true
>;

export const TAGS = {
  cachedTags: true,
  saveTags: true,
  startTagRun: true,
  updateTagRun: true,
  tagRuns: true,
  taggedCounts: true,
  hasLlmTags: true,
} satisfies Record<keyof TagStore, true>;
export const LYRICS = {
  lyricsHashes: true,
  saveLyrics: true,
  lyricsCount: true,
  hasLyrics: true,
  lyricsOf: true,
  nearestLyrics: true,
} satisfies Record<keyof LyricsStore, true>;

/** The listed methods of a part, bound to it: the Store is a plain object whose methods can be passed around. */
export function lend<I extends object>(part: I, methods: Record<keyof I, true>): I {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(methods)) {
    const method = (part as Record<string, unknown>)[name];
    if (typeof method === "function") out[name] = method.bind(part);
  }
  return out as I;
}
