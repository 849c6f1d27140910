/** Scoring and shaping of candidates: constraint fit, fusion with similarity, version collapsing, artist cap. */

import { normName, songKey } from "../domain/text.js";
import type { Constraint, GenreConstraint, QueryPlan, RangeConstraint } from "../query/plan.js";
import { formatValue } from "../query/plan.js";
import type { FilterField, StoredTrack } from "../store/store.js";

/** How far outside a range still earns some fit, per field. */
const FIELD_SCALE: Partial<Record<FilterField, number>> = {
  tempo: 30,
  duration_ms: 90_000,
  loudness: 6,
  popularity: 25,
  year: 10,
  mode: 1,
};

export function fieldScale(field: FilterField): number {
  return FIELD_SCALE[field] ?? 0.25;
}

export function fieldValue(t: StoredTrack, field: FilterField): number {
  switch (field) {
    case "duration_ms":
      return t.durationMs;
    case "year":
      return t.year ?? 0;
    default:
      return t[field];
  }
}

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

/**
 * Fit in [0, 1]: inside the range 0.7..1 (1 at or beyond the ideal), outside it falling with the distance to the
 * nearest bound. Ranks the clearest examples first, and near misses above far ones when a constraint is soft.
 */
export function rangeFit(c: RangeConstraint, t: StoredTrack): number {
  const scale = FIELD_SCALE[c.field] ?? 0.25;
  let best = 0;
  for (const v of candidates(c, fieldValue(t, c.field))) {
    let fit: number;
    if (inRange(c, v)) {
      if (c.ideal === undefined) fit = 1;
      else if (c.min !== undefined && c.max !== undefined) {
        const half = Math.max((c.max - c.min) / 2, 1e-9);
        fit = 1 - (0.3 * Math.min(Math.abs(v - c.ideal), half)) / half;
      } else if (c.min !== undefined) {
        fit = v >= c.ideal ? 1 : 0.7 + (0.3 * (v - c.min)) / Math.max(c.ideal - c.min, 1e-9);
      } else {
        const max = c.max as number;
        fit = v <= c.ideal ? 1 : 0.7 + (0.3 * (max - v)) / Math.max(max - c.ideal, 1e-9);
      }
    } else {
      const d = c.min !== undefined && v < c.min ? c.min - v : v - (c.max as number);
      fit = Math.max(0, 0.6 * (1 - d / scale));
    }
    best = Math.max(best, fit);
  }
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

export interface ConstraintCheck {
  label: string;
  hard: boolean;
  met: boolean;
  /** The track's value, and the target it was held against. */
  value: number | boolean | string | null;
  target: string;
}

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

function target(c: RangeConstraint): string {
  const f = (v: number) => formatValue(c.field, v);
  const base =
    c.min !== undefined && c.max !== undefined
      ? `${f(c.min)}..${f(c.max)}`
      : c.min !== undefined
        ? `>= ${f(c.min)}`
        : `<= ${f(c.max as number)}`;
  return c.octave ? `${base} (or half/double)` : base;
}

export interface Scored {
  track: StoredTrack;
  score: number;
  why: Why;
}

export function check(
  c: Constraint,
  t: StoredTrack,
): { met: boolean; fit: number; check: ConstraintCheck; genre?: string | null } {
  switch (c.type) {
    case "range": {
      const met = rangeMet(c, t);
      const v = fieldValue(t, c.field);
      return {
        met,
        fit: rangeFit(c, t),
        check: { label: c.label, hard: c.hard, met, value: Math.round(v * 1000) / 1000, target: target(c) },
      };
    }
    case "genre": {
      const g = genreStrength(c, t);
      const met = c.exclude ? g.strength === 0 : g.strength > 0;
      return {
        met,
        fit: c.exclude ? (met ? 1 : 0) : g.strength,
        genre: c.exclude ? null : g.label,
        check: {
          label: c.label,
          hard: c.hard,
          met,
          value: g.label ?? t.allGenres.slice(0, 3).join(", "),
          target: `${c.exclude ? "none of" : "any of"} ${c.labels.slice(0, 6).join(", ")}${c.labels.length > 6 ? ", ..." : ""}`,
        },
      };
    }
    case "explicit":
      return {
        met: t.explicit === c.value,
        fit: t.explicit === c.value ? 1 : 0,
        check: {
          label: c.label,
          hard: c.hard,
          met: t.explicit === c.value,
          value: t.explicit,
          target: String(c.value),
        },
      };
    case "artist": {
      const hit = t.artists.some((a) => c.norms.includes(normName(a)));
      const met = c.exclude ? !hit : hit;
      return {
        met,
        fit: met ? 1 : 0,
        check: {
          label: c.label,
          hard: c.hard,
          met,
          value: t.artists.join(", "),
          target: c.names.join(" or "),
        },
      };
    }
    case "not_song": {
      const met = songKey(t.artists, t.name) !== c.key;
      return {
        met,
        fit: met ? 1 : 0,
        check: { label: c.label, hard: c.hard, met, value: t.name, target: "another song" },
      };
    }
    case "liked": {
      const liked = c.rowids.includes(t.rowid);
      const met = c.exclude ? !liked : liked;
      return {
        met,
        fit: met ? 1 : 0,
        check: { label: c.label, hard: c.hard, met, value: liked, target: c.exclude ? "not liked" : "liked" },
      };
    }
    case "title": {
      const name = t.name.toLowerCase();
      const met = c.words.some((w) => name.includes(w));
      return {
        met,
        fit: met ? 1 : 0,
        check: { label: c.label, hard: c.hard, met, value: t.name, target: c.words.join("/") },
      };
    }
  }
}

/** Weights of the fused score; constraint fit carries most, similarity breaks ties among tracks that fit alike. */
export const WEIGHTS = { similarity: 0.35, fit: 0.45, genre: 0.12, popularity: 0.08 } as const;

export function scoreCandidates(
  plan: QueryPlan,
  candidates: ReadonlyArray<{ track: StoredTrack; similarity: number | null }>,
): Scored[] {
  const sims = candidates.map((c) => c.similarity).filter((s): s is number => s !== null);
  const lo = sims.length > 0 ? Math.min(...sims) : 0;
  const hi = sims.length > 0 ? Math.max(...sims) : 1;
  const ranges = plan.constraints.filter((c) => c.type !== "genre");
  const genres = plan.constraints.filter((c): c is GenreConstraint => c.type === "genre");
  return candidates.map(({ track, similarity }) => {
    const meets: ConstraintCheck[] = [];
    const misses: ConstraintCheck[] = [];
    let fitSum = 0;
    let fitWeight = 0;
    for (const c of ranges) {
      const r = check(c, track);
      // Preferences the user stated count more than ones implied by an activity, a genre or a grounded word.
      const w = c.hard ? 1 : c.priority >= 4 ? 0.7 : 0.4;
      fitSum += r.fit * w;
      fitWeight += w;
      (r.met ? meets : misses).push(r.check);
    }
    let genreSum = 0;
    let genreLabel: string | null = null;
    for (const c of genres) {
      const r = check(c, track);
      genreSum += r.fit;
      genreLabel ??= r.genre ?? null;
      (r.met ? meets : misses).push(r.check);
    }
    const semantic = similarity === null ? null : hi > lo ? (similarity - lo) / (hi - lo) : 1;
    const parts: Array<[number, number]> = [
      [WEIGHTS.popularity, track.popularity / 100],
      ...(semantic === null ? [] : [[WEIGHTS.similarity, semantic] as [number, number]]),
      ...(fitWeight > 0 ? [[WEIGHTS.fit, fitSum / fitWeight] as [number, number]] : []),
      ...(genres.length > 0 ? [[WEIGHTS.genre, genreSum / genres.length] as [number, number]] : []),
    ];
    const total = parts.reduce((s, [w]) => s + w, 0);
    const score = parts.reduce((s, [w, v]) => s + w * v, 0) / total;
    const summaryParts = [
      ...(genreLabel ? [genreLabel] : []),
      ...meets
        .filter((m) => !m.label.startsWith("genre") && !m.label.startsWith("not "))
        .slice(0, 3)
        .map((m) => m.label),
      ...misses.slice(0, 2).map((m) => `missed ${m.label}`),
      ...(similarity !== null ? [`similarity ${similarity.toFixed(2)}`] : []),
    ];
    return {
      track,
      score: Math.round(score * 10000) / 10000,
      why: {
        similarity: similarity === null ? null : Math.round(similarity * 10000) / 10000,
        genre: genreLabel,
        meets,
        misses,
        summary: summaryParts.join("; "),
      },
    };
  });
}

/** Best first; one version per song unless asked; at most `cap` tracks per artist. */
export function shapeResults(scored: readonly Scored[], plan: QueryPlan, limit: number): Scored[] {
  const sorted = [...scored].sort((a, b) => b.score - a.score || a.track.rowid - b.track.rowid);
  const songs = new Set<string>();
  const perArtist = new Map<string, number>();
  const out: Scored[] = [];
  for (const s of sorted) {
    if (out.length >= limit) break;
    const key = plan.collapseVersions
      ? songKey(s.track.artists, s.track.name)
      : `${s.track.artists.map(normName).join("|")}::${normName(s.track.name)}`;
    if (songs.has(key)) continue;
    const artist = normName(s.track.artists[0] ?? "");
    if (plan.artistCap !== null && (perArtist.get(artist) ?? 0) >= plan.artistCap) continue;
    songs.add(key);
    perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
    out.push(s);
  }
  return out;
}
