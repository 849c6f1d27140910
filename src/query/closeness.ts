/**
 * Constraints that keep results close to a reference (a track, an artist's tracks, the likes, a genre's profile),
 * from a plain summary of its features.
 */
import { fieldValue, formatValue } from "../domain/fields.js";
import type { FeatureProfile, StoredTrack } from "../store/store.js";
import { PRIORITY } from "./constraints.js";
import type { ConstraintSource, QueryPlan } from "./types.js";
import { REFERENCE_BANDS } from "./vocabulary/reference.js";

export type ReferenceField = (typeof REFERENCE_BANDS)[number]["field"];

/** A reference's features: the middle value of each, and how many of its tracks carry each genre. */
export type FeatureSummary = Record<ReferenceField, number> & {
  /** How many tracks the summary is of (genre shares are counted against it). */
  size: number;
  genres: ReadonlyMap<string, number>;
};

/** The upper median, as the planner has always taken it. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export function summarizeTracks(tracks: readonly StoredTrack[]): FeatureSummary {
  const genres = new Map<string, number>();
  for (const t of tracks) for (const g of t.allGenres) genres.set(g, (genres.get(g) ?? 0) + 1);
  const features = Object.fromEntries(
    REFERENCE_BANDS.map(({ field }) => [field, median(tracks.map((t) => fieldValue(t, field)))]),
  ) as Record<ReferenceField, number>;
  return { ...features, size: tracks.length, genres };
}

/** A genre's measured sound as one reference: the medians of its profile, no genres of its own. */
export function summarizeProfile(profile: FeatureProfile): FeatureSummary {
  const features = Object.fromEntries(
    REFERENCE_BANDS.map(({ field }) => [field, profile.percentiles[field][2]]),
  ) as Record<ReferenceField, number>;
  return { ...features, size: 1, genres: new Map() };
}

export interface ClosenessOptions {
  /** Keep to the genres most of the reference carries (hard). */
  genres: boolean;
  /** The mood band is hard. */
  hard: boolean;
  /** The share of the reference a genre needs (0.3 unless given). */
  minShare?: number;
}

/**
 * Close to a reference: the genres most of it carries (hard) and its mood (energy and valence within a band, hard
 * for a single reference) and sound (soft).
 */
export function referenceConstraints(
  plan: QueryPlan,
  summary: FeatureSummary,
  what: string,
  options: ClosenessOptions = { genres: true, hard: true },
): void {
  const share = options.minShare ?? 0.3;
  const genres = [...summary.genres]
    .filter(([, n]) => n >= Math.max(1, summary.size * share))
    .map(([g]) => g);
  const source: ConstraintSource = { kind: "reference", text: what };
  if (options.genres && genres.length > 0) {
    plan.constraints.push({
      type: "genre",
      labels: genres,
      core: genres,
      label: `genre ${genres.join("/")} like ${what}`,
      hard: true,
      priority: PRIORITY.genre - 1,
      source,
    });
  }
  for (const { field, band, mood, octave } of REFERENCE_BANDS) {
    const value = summary[field];
    plan.constraints.push({
      type: "range",
      field,
      min: Math.round((value - band) * 1000) / 1000,
      max: Math.round((value + band) * 1000) / 1000,
      ideal: value,
      octave,
      label: `${field} near ${formatValue(field, Math.round(value * 1000) / 1000)}`,
      hard: mood && options.hard,
      priority: PRIORITY.activity,
      source,
    });
  }
}
