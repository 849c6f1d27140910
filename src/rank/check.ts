/** One constraint held against one track: met or not, how well it fits, and what to show for it. */
import { fieldValue, formatValue } from "../domain/fields.js";
import { normName, songKey } from "../domain/text.js";
import { SIMILAR_ARTIST_PREFIX } from "../domain/track.js";
import type { Constraint, GenreConstraint, RangeConstraint, ThemeConstraint } from "../query/plan.js";
import type { StoredTrack } from "../store/types.js";
import { genreStrength, type LyricsFit, rangeFit, rangeMet, themeFit } from "./fit.js";

export interface ConstraintCheck {
  label: string;
  hard: boolean;
  met: boolean;
  /** The track's value, and the target it was held against. */
  value: number | boolean | string | null;
  target: string;
}

export interface CheckOutcome {
  met: boolean;
  /** In [0, 1]. */
  fit: number;
  check: ConstraintCheck;
  /** For a genre constraint: the track's label that matched. */
  genre?: string | null;
}

/** "0.5..0.8", ">= 120 BPM", "<= 180 s". */
function rangeTarget(c: RangeConstraint): string {
  const f = (v: number) => formatValue(c.field, v);
  const base =
    c.min !== undefined && c.max !== undefined
      ? `${f(c.min)}..${f(c.max)}`
      : c.min !== undefined
        ? `>= ${f(c.min)}`
        : `<= ${f(c.max as number)}`;
  return c.octave ? `${base} (or half/double)` : base;
}

function checkRange(c: RangeConstraint, t: StoredTrack): CheckOutcome {
  const met = rangeMet(c, t);
  const v = fieldValue(t, c.field);
  return {
    met,
    fit: rangeFit(c, t),
    check: { label: c.label, hard: c.hard, met, value: Math.round(v * 1000) / 1000, target: rangeTarget(c) },
  };
}

function checkGenre(c: GenreConstraint, t: StoredTrack): CheckOutcome {
  const g = genreStrength(c, t);
  const met = c.exclude ? g.strength === 0 : g.strength > 0;
  const shown = `${c.labels.slice(0, 6).join(", ")}${c.labels.length > 6 ? ", ..." : ""}`;
  return {
    met,
    fit: c.exclude ? (met ? 1 : 0) : g.strength,
    genre: c.exclude ? null : g.label,
    check: {
      label: c.label,
      hard: c.hard,
      met,
      value: g.label ?? t.allGenres.slice(0, 3).join(", "),
      target: `${c.exclude ? "none of" : "any of"} ${shown}`,
    },
  };
}

/** A lyrics theme: met by the track's stored themes; a track without lyrics neither meets nor misses it. */
function checkTheme(c: ThemeConstraint, lyrics: LyricsFit | null | undefined): CheckOutcome {
  const { met, fit } = lyrics ? themeFit(c, lyrics) : { met: false, fit: 0 };
  const sim = lyrics?.similarity[c.theme];
  return {
    met,
    fit,
    check: {
      label: c.label,
      hard: c.hard,
      met,
      value: lyrics
        ? `${lyrics.themes.join(", ") || "no theme"}${sim === undefined ? "" : ` (${c.theme} ${sim.toFixed(2)})`}`
        : null,
      target: c.theme,
    },
  };
}

/** Constraints a track meets or not, with nothing in between. */
function checkYesNo(
  c: Exclude<Constraint, RangeConstraint | GenreConstraint | ThemeConstraint>,
  t: StoredTrack,
): { met: boolean; value: ConstraintCheck["value"]; target: string } {
  switch (c.type) {
    case "explicit":
      return { met: t.explicit === c.value, value: t.explicit, target: String(c.value) };
    case "artist": {
      const hit = t.artists.some((a) => c.norms.includes(normName(a)));
      return { met: c.exclude ? !hit : hit, value: t.artists.join(", "), target: c.names.join(" or ") };
    }
    case "not_song":
      return { met: songKey(t.artists, t.name) !== c.key, value: t.name, target: "another song" };
    case "liked": {
      const liked = c.rowids.includes(t.rowid);
      return { met: c.exclude ? !liked : liked, value: liked, target: c.exclude ? "not liked" : "liked" };
    }
    case "keys": {
      const met = c.pairs.some((p) => p.key === t.key && p.mode === t.mode);
      const name = (k: number, m: number) => `${formatValue("key", k)} ${m === 1 ? "major" : "minor"}`;
      return { met, value: name(t.key, t.mode), target: c.pairs.map((p) => name(p.key, p.mode)).join(" / ") };
    }
    case "title": {
      const name = t.name.toLowerCase();
      return { met: c.words.some((w) => name.includes(w)), value: t.name, target: c.words.join("/") };
    }
    case "llm_tag": {
      const tags = t.llmTags?.tags.filter((x) => !x.startsWith(SIMILAR_ARTIST_PREFIX)) ?? [];
      return { met: tags.includes(c.tag), value: tags.join(", "), target: `tagged ${c.tag}` };
    }
  }
}

/** Whether a constraint says anything about a track: an LLM tag says nothing about tracks the LLM has not tagged. */
export function applies(c: Constraint, t: StoredTrack): boolean {
  return c.type !== "llm_tag" || t.llmTags !== undefined;
}

/** `lyrics`: what ranking knows of the track's lyrics, for theme constraints (none: the track has no lyrics). */
export function check(c: Constraint, t: StoredTrack, lyrics?: LyricsFit | null): CheckOutcome {
  if (c.type === "range") return checkRange(c, t);
  if (c.type === "theme") return checkTheme(c, lyrics);
  if (c.type === "genre") return checkGenre(c, t);
  const { met, value, target } = checkYesNo(c, t);
  return { met, fit: met ? 1 : 0, check: { label: c.label, hard: c.hard, met, value, target } };
}
