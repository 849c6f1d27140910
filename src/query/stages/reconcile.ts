/** Stages that settle what the earlier ones found against each other, once every word has been read. */
import { removeWhere } from "../constraints.js";
import type { PlanState } from "../state.js";
import type { GenreConstraint, RangeConstraint } from "../types.js";

/**
 * "Short" and "long" are relative to the genre asked for: a short punk song is short for punk. The word's own
 * threshold still holds; the genre's quartile only tightens it.
 */
export function relativeLength(s: PlanState): void {
  const { plan } = s;
  const genre = plan.constraints.find(
    (c): c is GenreConstraint => c.type === "genre" && c.hard && !c.exclude,
  );
  const lengths = plan.constraints.filter(
    (c): c is RangeConstraint => c.type === "range" && c.field === "duration_ms" && c.source.kind === "word",
  );
  if (!genre || lengths.length === 0) return;
  const p = s.ctx.profile({ genres: genre.labels })?.percentiles.duration_ms;
  if (!p) return;
  const name = genre.label.replace(/^genre /, "");
  for (const c of lengths) {
    if (c.max !== undefined && p[1] < c.max) {
      c.max = Math.round(p[1]);
      c.ideal = Math.min(c.ideal ?? c.max, Math.round(p[0]));
      c.label = `${c.label} for ${name} (under ${Math.round(c.max / 1000)} s)`;
    } else if (c.min !== undefined && p[3] > c.min) {
      c.min = Math.round(p[3]);
      c.ideal = Math.max(c.ideal ?? c.min, Math.round(p[4]));
      c.label = `${c.label} for ${name} (over ${Math.round(c.min / 1000)} s)`;
    }
  }
}

/** "like Helena but happier": a mood the words ask for replaces the reference's band on that feature. */
export function wordsOverReference(s: PlanState): void {
  const asked = new Set(
    s.plan.constraints.flatMap((c) => (c.type === "range" && c.source.kind === "word" ? [c.field] : [])),
  );
  removeWhere(
    s.plan.constraints,
    (c) => c.type === "range" && c.source.kind === "reference" && asked.has(c.field),
  );
}

/** "not sad": the negated words are left out of the text that is embedded, unless a stage chose that text. */
export function dropNegatedWords(s: PlanState): void {
  if (s.negatedTokens.size === 0 || s.plan.semanticText !== s.query.trim()) return;
  s.plan.semanticText = s.tokens
    .filter((_, k) => !s.negatedTokens.has(k))
    .map((t) => t.text)
    .join(" ");
}

/** A tempo given with "running" also counts at half or double time. */
export function octaveTempo(s: PlanState): void {
  if (!s.octaveTempo) return;
  for (const c of s.plan.constraints)
    if (c.type === "range" && c.field === "tempo" && c.source.kind === "number") c.octave = true;
}
