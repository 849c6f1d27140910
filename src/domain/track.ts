import type { AudioFeatures } from "./fields.js";

export type { AudioFeatures };

/** The normalized shapes every layout is turned into: the features of the field table plus identity and genres. */
export interface TrackRow extends AudioFeatures {
  id: string;
  name: string;
  artists: string[];
  /** Spotify artist ids, in the same order as artists (600K layout only). */
  artistIds: string[];
  album: string | null;
  /** Genre labels carried by the row itself (the 114K track_genre). */
  genres: string[];
  releaseDate: string | null;
  year: number | null;
}

export interface ArtistRow {
  id: string;
  name: string;
  followers: number | null;
  popularity: number | null;
  genres: string[];
}

/** A track as stored: its row plus every genre it carries (its own and its artists'). */
export interface Track extends TrackRow {
  allGenres: string[];
  /** Tags an LLM gave the track (`spotivec enrich tags`), with the model's name; absent when it has none. */
  llmTags?: LlmTags;
}

/** The prefix of similar-artist LLM tags: "like:Slowdive". */
export const SIMILAR_ARTIST_PREFIX = "like:";

export interface LlmTags {
  model: string;
  /** Vocabulary tags, then similar artists as "like:<artist>". */
  tags: string[];
}

export function spotifyUrl(id: string): string {
  return `https://open.spotify.com/track/${id}`;
}
