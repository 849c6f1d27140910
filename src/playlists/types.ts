/**
 * Playlists: a saved search (its query, options and plan) with the tracks it answered, kept in the database so it
 * can be refreshed against a grown catalog, exported to the formats players read, and pushed to a service.
 */
import type { QueryPlan } from "../query/plan.js";
import type { TrackFilters } from "../store/types.js";

/** A track as a playlist keeps it: enough to export and to match it in another service without the catalog. */
export interface PlaylistTrack {
  /** Spotify track id. */
  id: string;
  name: string;
  artists: string[];
  album: string | null;
  durationMs: number;
  /** Genre labels, for exports that carry them. */
  genres: string[];
  /** Release date as the dataset gives it (600K layout), else null. */
  releaseDate: string | null;
  popularity: number;
  explicit: boolean;
}

/** How the playlist was made: enough to run the same search again. */
export interface PlaylistSource {
  /** The search text ("" for a hand-picked selection or a filter-only search). */
  query: string;
  limit: number;
  filters: TrackFilters;
  versions: boolean;
  /** Likes used for a personal query: the profile name or the file, as the search recorded it. */
  likesFrom: string | null;
  /** The plan the search ran (null for plain or hand-picked playlists). */
  plan: QueryPlan | null;
  /** Tracks picked by hand (the page's selection): refresh keeps them instead of searching again. */
  picked: boolean;
}

export interface Playlist {
  name: string;
  source: PlaylistSource;
  tracks: PlaylistTrack[];
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
}

export type ExportFormat = "m3u8" | "xspf" | "csv" | "json";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["m3u8", "xspf", "csv", "json"];
