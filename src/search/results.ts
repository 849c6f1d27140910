/** What a search answers with: tracks as JSON (CLI --json, HTTP API, page), planned ones with their reasons. */
import { type FeaturesJson, featuresJson } from "../domain/fields.js";
import { spotifyUrl } from "../domain/track.js";
import type { QueryPlan } from "../query/plan.js";
import type { Why } from "../rank/rank.js";
import type { StoredTrack } from "../store/types.js";

export type { FeaturesJson };

export interface SearchResult {
  id: string;
  name: string;
  artists: string[];
  album: string | null;
  genres: string[];
  year: number | null;
  features: FeaturesJson;
  /** Cosine similarity of the query and the track's description; without a query, popularity / 100. */
  score: number;
  url: string;
}

export interface PlannedResult extends SearchResult {
  why: Why;
}

export interface PlannedResponse {
  plan: QueryPlan;
  results: PlannedResult[];
}

export function toResult(t: StoredTrack, score: number): SearchResult {
  return {
    id: t.id,
    name: t.name,
    artists: t.artists,
    album: t.album,
    genres: t.allGenres,
    year: t.year,
    features: featuresJson(t),
    score: Math.round(score * 10000) / 10000,
    url: spotifyUrl(t.id),
  };
}
