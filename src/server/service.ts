/**
 * What the HTTP API serves, behind one interface: in-process (tests, small use), or on a pool of worker threads
 * (pool.ts) that share the one model loaded in the main thread, so a long search never blocks other requests.
 */
import type { Embedder } from "../embed/embedder.js";
import {
  type PlannedResponse,
  plannedSearch,
  type SearchResult,
  similarSearch,
  toResult,
} from "../search/search.js";
import { openStore, type Store, type TrackFilters } from "../store/store.js";
import { createPlaylistService, type PlaylistService } from "./playlists.js";

export interface SearchParams {
  q: string;
  limit: number;
  filters: TrackFilters;
  /** Ids of plan constraints to leave out (the web page's removed chips). */
  drop: string[];
}

export interface Health {
  status: "ok";
  version: string;
  tracks: number;
  embedded: number;
  model: { model: string; dims: number } | null;
  /** The process that answered: with `serve --processes N`, one of N. */
  pid: number;
}

/** The page's map and the playlists (see playlists.ts); the search pool runs them on its workers. */
export type CatalogService = Omit<PlaylistService, "close">;

export interface SearchService extends CatalogService {
  search(params: SearchParams): Promise<PlannedResponse>;
  track(id: string): Promise<SearchResult | null>;
  similar(id: string, limit: number): Promise<(PlannedResponse & { track: SearchResult }) | null>;
  health(): Promise<Health>;
  close(): Promise<void>;
}

export const VERSION = "0.1.0";

/**
 * Runs every call on this thread against one store. Playlist writes go to `options.writer()` (by default a
 * writable connection to the same file, opened on the first write).
 */
export function createLocalService(
  store: Store,
  embedder: Embedder,
  options: { writer?: () => Store } = {},
): SearchService {
  const playlists = createPlaylistService(store, options.writer);
  return {
    map: playlists.map,
    playlists: playlists.playlists,
    playlist: playlists.playlist,
    savePicked: playlists.savePicked,
    deletePlaylist: playlists.deletePlaylist,
    search: ({ q, limit, filters, drop }) =>
      plannedSearch(store, embedder, { text: q, filters, limit, drop }),
    track: async (id) => {
      const t = store.trackById(id);
      return t ? toResult(t, t.popularity / 100) : null;
    },
    similar: async (id, limit) => {
      const t = store.trackById(id);
      if (!t) return null;
      const response = await similarSearch(store, embedder, t, { filters: {}, limit });
      return { track: toResult(t, 1), ...response };
    },
    health: async () => {
      const s = store.stats();
      return {
        status: "ok",
        version: VERSION,
        tracks: s.tracks,
        embedded: s.embedded,
        model: s.model,
        pid: process.pid,
      };
    },
    close: async () => {
      playlists.close();
      store.close();
    },
  };
}

/**
 * Health answered from a copy at most `ttlMs` old: counting a large catalog takes tens of milliseconds of the main
 * thread, which also embeds for the search workers; a health check that runs often should not cost that each time.
 */
export function cachedHealth(health: () => Promise<Health>, ttlMs = 5000): () => Promise<Health> {
  let last: { at: number; value: Promise<Health> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > ttlMs) {
      const value = health();
      last = { at: now, value };
      value.catch(() => {
        if (last?.value === value) last = null;
      });
    }
    return last.value;
  };
}

/** The database a worker opens: the same file, its own connection. */
export function openWorkerStore(dbPath: string): Store {
  return openStore(dbPath, { readonly: true });
}
