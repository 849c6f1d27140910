/** The fused score of each candidate: constraint fit, genre, similarity to the query and popularity. */
import type { GenreConstraint, QueryPlan } from "../query/plan.js";
import type { StoredTrack } from "../store/types.js";
import { type ConstraintCheck, check } from "./check.js";
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
      .filter((m) => !m.label.startsWith("genre") && !m.label.startsWith("not "))
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

export function scoreCandidates(
  plan: QueryPlan,
  candidates: ReadonlyArray<{ track: StoredTrack; similarity: number | null }>,
): Scored[] {
  const sims = candidates.map((c) => c.similarity).filter((s): s is number => s !== null);
  const lo = sims.length > 0 ? Math.min(...sims) : 0;
  const hi = sims.length > 0 ? Math.max(...sims) : 1;
  const others = plan.constraints.filter((c) => c.type !== "genre");
  const genres = plan.constraints.filter((c): c is GenreConstraint => c.type === "genre");
  return candidates.map(({ track, similarity }) => {
    const meets: ConstraintCheck[] = [];
    const misses: ConstraintCheck[] = [];
    let fitSum = 0;
    let weightSum = 0;
    let relaxedFit = 0;
    for (const c of others) {
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
    const semantic = similarity === null ? null : hi > lo ? (similarity - lo) / (hi - lo) : 1;
    const score = fuse(
      track.popularity / 100,
      semantic,
      weightSum > 0 ? fitSum / weightSum : null,
      genres.length > 0 ? genreSum / genres.length : null,
    );
    return {
      track,
      score: round4(score),
      relaxedFit: Math.round(relaxedFit * 10) / 10,
      why: {
        similarity: similarity === null ? null : round4(similarity),
        genre: genreLabel,
        meets,
        misses,
        summary: summaryOf(genreLabel, meets, misses, similarity),
      },
    };
  });
}
