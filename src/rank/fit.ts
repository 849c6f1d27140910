/** How well a track fits one constraint, in [0, 1]. */
import { fieldScale, fieldValue } from "../domain/fields.js";
import type { GenreConstraint, RangeConstraint, ThemeConstraint } from "../query/plan.js";
import type { StoredTrack } from "../store/types.js";

function inRange(c: RangeConstraint, v: number): boolean {
  return (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
}

/** The values a track offers for a range: its own, and half/double time where the constraint allows it. */
function candidates(c: RangeConstraint, v: number): number[] {
  return c.octave ? [v, v * 2, v / 2] : [v];
}

export function rangeMet(c: RangeConstraint, t: StoredTrack): boolean {
  return candidates(c, fieldValue(t, c.field)).some((v) => inRange(c, v));
}

/** Inside the range: 0.7 at the far bound, rising to 1 at the ideal (or everywhere, without an ideal). */
function fitInside(c: RangeConstraint, v: number): number {
  if (c.ideal === undefined) return 1;
  if (c.min !== undefined && c.max !== undefined) {
    const half = Math.max((c.max - c.min) / 2, 1e-9);
    return 1 - (0.3 * Math.min(Math.abs(v - c.ideal), half)) / half;
  }
  if (c.min !== undefined)
    return v >= c.ideal ? 1 : 0.7 + (0.3 * (v - c.min)) / Math.max(c.ideal - c.min, 1e-9);
  const max = c.max as number;
  return v <= c.ideal ? 1 : 0.7 + (0.3 * (max - v)) / Math.max(max - c.ideal, 1e-9);
}

/** Outside the range: 0.6 at the bound, falling to 0 one scale unit away. */
function fitOutside(c: RangeConstraint, v: number): number {
  const d = c.min !== undefined && v < c.min ? c.min - v : v - (c.max as number);
  return Math.max(0, 0.6 * (1 - d / fieldScale(c.field)));
}

/**
 * Fit in [0, 1]: inside the range 0.7..1 (1 at or beyond the ideal), outside it falling with the distance to the
 * nearest bound. Ranks the clearest examples first, and near misses above far ones when a constraint is soft.
 */
export function rangeFit(c: RangeConstraint, t: StoredTrack): number {
  let best = 0;
  for (const v of candidates(c, fieldValue(t, c.field)))
    best = Math.max(best, inRange(c, v) ? fitInside(c, v) : fitOutside(c, v));
  return best;
}

/** 1 for a label the query named, 0.85 for another label of its family, 0 otherwise. */
export function genreStrength(
  c: GenreConstraint,
  t: StoredTrack,
): { strength: number; label: string | null } {
  const core = t.allGenres.find((g) => c.core.includes(g));
  if (core) return { strength: 1, label: core };
  const family = t.allGenres.find((g) => c.labels.includes(g));
  return family ? { strength: 0.85, label: family } : { strength: 0, label: null };
}

/** What ranking knows of a track's lyrics: its stored themes and its lyrics' similarity to each theme asked for. */
export interface LyricsFit {
  themes: readonly string[];
  similarity: Readonly<Record<string, number>>;
}

/**
 * Below this lyrics-to-theme similarity a track's lyrics do not fit a theme at all; at THEME_FULL they fit as much
 * as a theme that is not among the track's own can. all-MiniLM-L6-v2 on the Million Song slice: a theme's
 * similarity runs from about 0.1 to 0.5 (p10-p90), a song's own themes from 0.3 up.
 */
export const THEME_FLOOR = 0.2;
export const THEME_FULL = 0.5;
/** The most a theme that is not among the track's stored themes fits. */
const UNSTORED_THEME_FIT = 0.6;

/** 1 for a theme among the track's stored themes; else rising with the similarity, up to UNSTORED_THEME_FIT. */
export function themeFit(c: ThemeConstraint, lyrics: LyricsFit): { met: boolean; fit: number } {
  if (lyrics.themes.includes(c.theme)) return { met: true, fit: 1 };
  const sim = lyrics.similarity[c.theme] ?? 0;
  const share = Math.min(1, Math.max(0, (sim - THEME_FLOOR) / (THEME_FULL - THEME_FLOOR)));
  return { met: false, fit: UNSTORED_THEME_FIT * share };
}
