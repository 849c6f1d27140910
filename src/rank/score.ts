/** The fused score of each candidate: constraint fit, genre, similarity to the query and popularity. */
import type { GenreConstraint, QueryPlan, ThemeConstraint } from "../query/plan.js";
import type { StoredTrack } from "../store/types.js";
import { applies, type ConstraintCheck, check } from "./check.js";
import type { LyricsFit } from "./fit.js";
import { fitWeight } from "./priority.js";

export interface Why {
  similarity: number | null;
  genre: string | null;
  meets: ConstraintCheck[];
  misses: ConstraintCheck[];
  /** For personal queries: the liked songs this result is closest to. */
  likedNear?: string[];
  /** One short line for tables. */
  summary: string;
  /** LLM tags the query asked for that this track carries: "LLM tag (gpt-4o-mini): dreamy". */
  llmTags?: string[];
}

export interface Scored {
  track: StoredTrack;
  score: number;
  /**
   * How well the track fits the constraints relaxation turned soft (their fits summed, in steps of 0.1): results are
   * ordered by it before the score, so the tracks that meet a relaxed constraint still come first ("Radiohead songs
   * that aren't depressing"), then the nearest misses (a fit inside a range is >= 0.7, outside it < 0.6).
   */
  relaxedFit: number;
  why: Why;
}

/** Weights of the fused score; constraint fit carries most, similarity breaks ties among tracks that fit alike. */
export const WEIGHTS = { similarity: 0.35, fit: 0.45, genre: 0.12, popularity: 0.08 } as const;

/**
 * How far lyrics that fit the asked themes lift a score toward 1: score + THEME_BOOST * fit * (1 - score). A boost,
 * never a part of the mean: a track without lyrics keeps the score it would have had, one whose lyrics fit no
 * asked theme too (fit 0).
 */
export const THEME_BOOST = 0.8;

/** A candidate to score: its track, its similarity to the query, and its lyrics when the query asks for themes. */
export interface Candidate {
  track: StoredTrack;
  similarity: number | null;
  /** Undefined or null: the track has no lyrics (theme constraints leave it as it is). */
  lyrics?: LyricsFit | null;
  /**
   * Brought only by the lyrics channel: its similarity does not widen the range similarities are scaled over, so
   * the other candidates score as they would without it.
   */
  viaLyrics?: boolean;
}

const round4 = (v: number) => Math.round(v * 10000) / 10000;

/** The genre label, up to three constraints met, two missed, and the similarity. */
function summaryOf(
  genre: string | null,
  meets: ConstraintCheck[],
  misses: ConstraintCheck[],
  sim: number | null,
) {
  return [
    ...(genre ? [genre] : []),
    ...meets
      // Genres have their own slot; LLM tags their own line, with the model's name.
      .filter((m) => !/^(genre|not |LLM tag )/.test(m.label))
      .slice(0, 3)
      .map((m) => m.label),
    ...misses.slice(0, 2).map((m) => `missed ${m.label}`),
    ...(sim !== null ? [`similarity ${sim.toFixed(2)}`] : []),
  ].join("; ");
}

/** Weighted mean of the parts present: a plan without genres or a query without text is not penalised. */
function fuse(popularity: number, semantic: number | null, fit: number | null, genre: number | null): number {
  const parts: Array<[number, number]> = [[WEIGHTS.popularity, popularity]];
  if (semantic !== null) parts.push([WEIGHTS.similarity, semantic]);
  if (fit !== null) parts.push([WEIGHTS.fit, fit]);
  if (genre !== null) parts.push([WEIGHTS.genre, genre]);
  const total = parts.reduce((s, [w]) => s + w, 0);
  return parts.reduce((s, [w, v]) => s + w * v, 0) / total;
}

/** The asked themes held against the track's lyrics: their mean fit (null without lyrics or themes) and checks. */
function themeChecks(
  themes: readonly ThemeConstraint[],
  track: StoredTrack,
  lyrics: LyricsFit | null | undefined,
) {
  if (!lyrics || themes.length === 0) return { fit: null, meets: [], misses: [] };
  const meets: ConstraintCheck[] = [];
  const misses: ConstraintCheck[] = [];
  let sum = 0;
  for (const c of themes) {
    const r = check(c, track, lyrics);
    sum += r.fit;
    (r.met ? meets : misses).push(r.check);
  }
  return { fit: sum / themes.length, meets, misses };
}

/** The plan's LLM tags (those not dropped) that the track carries, marked as LLM tags with the model's name. */
function llmTagLines(plan: QueryPlan, track: StoredTrack): string[] {
  const tags = track.llmTags;
  if (!tags) return [];
  return plan.constraints
    .flatMap((c) => (c.type === "llm_tag" && tags.tags.includes(c.tag) ? [c.tag] : []))
    .map((t) => `LLM tag (${tags.model}): ${t}`);
}

export function scoreCandidates(plan: QueryPlan, candidates: ReadonlyArray<Candidate>): Scored[] {
  const scaled = candidates.some((c) => !c.viaLyrics) ? candidates.filter((c) => !c.viaLyrics) : candidates;
  const sims = scaled.map((c) => c.similarity).filter((s): s is number => s !== null);
  const lo = sims.length > 0 ? Math.min(...sims) : 0;
  const hi = sims.length > 0 ? Math.max(...sims) : 1;
  const others = plan.constraints.filter((c) => c.type !== "genre" && c.type !== "theme");
  const genres = plan.constraints.filter((c): c is GenreConstraint => c.type === "genre");
  const themes = plan.constraints.filter((c): c is ThemeConstraint => c.type === "theme");
  return candidates.map(({ track, similarity, lyrics }) => {
    const lyric = themeChecks(themes, track, lyrics);
    // Lyrics that fit come first in the reasons: "lyrics: heartbreak".
    const meets: ConstraintCheck[] = [...lyric.meets];
    const misses: ConstraintCheck[] = [...lyric.misses];
    let fitSum = 0;
    let weightSum = 0;
    let relaxedFit = 0;
    for (const c of others) {
      if (!applies(c, track)) continue;
      const r = check(c, track);
      if (c.relaxed) relaxedFit += r.fit;
      // Preferences the user stated count more than ones implied by an activity, a genre or a grounded word.
      const w = fitWeight(c);
      fitSum += r.fit * w;
      weightSum += w;
      (r.met ? meets : misses).push(r.check);
    }
    let genreSum = 0;
    let genreLabel: string | null = null;
    for (const c of genres) {
      const r = check(c, track);
      if (c.relaxed) relaxedFit += r.fit;
      genreSum += r.fit;
      genreLabel ??= r.genre ?? null;
      (r.met ? meets : misses).push(r.check);
    }
    const semantic =
      similarity === null ? null : hi > lo ? Math.min(1, Math.max(0, (similarity - lo) / (hi - lo))) : 1;
    const fused = fuse(
      track.popularity / 100,
      semantic,
      weightSum > 0 ? fitSum / weightSum : null,
      genres.length > 0 ? genreSum / genres.length : null,
    );
    const score = lyric.fit === null ? fused : fused + THEME_BOOST * lyric.fit * (1 - fused);
    const tagged = llmTagLines(plan, track);
    return {
      track,
      score: round4(score),
      relaxedFit: Math.round(relaxedFit * 10) / 10,
      why: {
        similarity: similarity === null ? null : round4(similarity),
        genre: genreLabel,
        meets,
        misses,
        summary: [summaryOf(genreLabel, meets, misses, similarity), ...tagged].filter((p) => p).join("; "),
        ...(tagged.length > 0 ? { llmTags: tagged } : {}),
      },
    };
  });
}
