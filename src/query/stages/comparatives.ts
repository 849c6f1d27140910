/**
 * Comparatives: "happier songs than Creep by Radiohead", "like Numb by Linkin Park but faster", "more like my liked
 * songs but calmer", "calmer techno". The word moves the target past an anchor: the reference track (or artist),
 * else the likes' median, else the catalog's median for the genre asked (or the whole catalog). The anchor's own
 * band on that feature gives way, so the reference no longer wins over the word.
 */
import { type FilterField, field, fieldValue, formatValue, type ProfileField } from "../../domain/fields.js";
import { addConstraint, PRIORITY, removeWhere } from "../constraints.js";
import type { PlanState } from "../state.js";
import type { Token } from "../tokens.js";
import type { GenreConstraint } from "../types.js";
import {
  COMPARATIVE_MARGIN,
  COMPARATIVE_MODIFIERS,
  COMPARATIVE_WORDS,
  type Comparative,
} from "../vocabulary/comparatives.js";
import { findTrack, likeTrack } from "./reference.js";

const THAN_RE = /\b(?:than|compared to)\s+(.+?)(?=\s+but\b|\s+with\b|\s+without\b|\s+and\b|$)/;

/** "more energetic", "a bit less acoustic": a modifier of up to three words and a feature word of the table. */
function modifiedConcept(s: PlanState, i: number): { comparative: Comparative; len: number } | null {
  const { tokens } = s;
  for (let m = 3; m >= 1; m--) {
    const direction =
      COMPARATIVE_MODIFIERS[
        tokens
          .slice(i, i + m)
          .map((t) => t.text)
          .join(" ")
      ];
    if (!direction) continue;
    for (let c = 2; c >= 1; c--) {
      const words = tokens.slice(i + m, i + m + c);
      if (words.length < c) continue;
      const entry = s.phrases.map.get(words.map((t) => t.text).join(" "));
      if (entry?.kind !== "concept") continue;
      const { concept } = entry;
      if (!(concept.field in COMPARATIVE_MARGIN)) return null;
      const up = (direction === "up") === (concept.direction === "high");
      return {
        comparative: { field: concept.field as ProfileField, direction: up ? "up" : "down" },
        len: m + c,
      };
    }
    return null;
  }
  return null;
}

/** "faster than 120 bpm", "longer than 5 minutes": a number, which the numbers stage reads. */
function thanNumber(s: PlanState, i: number): boolean {
  return s.tokens[i + 1]?.text === "than" && /^\d/.test(s.tokens[i + 2]?.text ?? "");
}

/** Reads comparative words (claiming them before the word tables read "more energetic" as a fixed band). */
export function readComparatives(s: PlanState): void {
  const { tokens } = s;
  for (let i = 0; i < tokens.length; i++) {
    if (s.isClaimed(i) || thanNumber(s, i)) continue;
    const word = COMPARATIVE_WORDS[(tokens[i] as Token).text];
    const found = word ? { comparative: word, len: 1 } : modifiedConcept(s, i);
    if (!found) continue;
    const span = tokens.slice(i, i + found.len);
    const first = span[0] as Token;
    const last = span[span.length - 1] as Token;
    s.claim(first.start, last.end);
    s.comparatives.push({ ...found.comparative, text: span.map((t) => t.text).join(" ") });
    i += found.len - 1;
  }
  if (s.comparatives.length > 0 && !s.plan.reference) readThan(s);
}

/** "than Creep by Radiohead": the track becomes the reference. */
function readThan(s: PlanState): void {
  const m = THAN_RE.exec(s.norm);
  if (!m) return;
  const pick = findTrack(s.ctx, m[1] as string);
  if (!pick) return;
  s.claim(m.index, m.index + m[0].length);
  likeTrack(s.plan, pick, m[1] as string);
  s.referenceTracks = [pick];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The value a comparative is relative to, and what it is, in words. */
function anchorOf(s: PlanState, f: ProfileField): { value: number; what: string } | null {
  const { plan, ctx } = s;
  if (s.referenceTracks.length > 0 && plan.reference) {
    const what =
      plan.reference.kind === "track"
        ? `${plan.reference.name} by ${plan.reference.artists.join(", ")}`
        : plan.reference.name;
    return { value: median(s.referenceTracks.map((t) => fieldValue(t, f))), what };
  }
  if (plan.personal && ctx.liked && ctx.liked.tracks.length > 0)
    return {
      value: median(ctx.liked.tracks.map((t) => fieldValue(t, f))),
      what: `your likes (median of ${ctx.liked.tracks.length})`,
    };
  const genre = plan.constraints.find((c): c is GenreConstraint => c.type === "genre" && !c.exclude);
  const profile = ctx.profile(genre ? { genres: genre.labels } : {});
  if (!profile) return null;
  const name = genre ? genre.label.replace(/^genre /, "") : "all tracks";
  return { value: profile.percentiles[f][2], what: `the catalog's median for ${name}` };
}

/** Once every word is read: each comparative becomes a range past its anchor, replacing bands on that feature. */
export function comparativeTargets(s: PlanState): void {
  for (const comp of s.comparatives) {
    const anchor = anchorOf(s, comp.field);
    if (!anchor) {
      s.plan.notes.push(`"${comp.text}": nothing to compare with (no reference, likes or catalog profile)`);
      continue;
    }
    const spec = field(comp.field);
    const margin = COMPARATIVE_MARGIN[comp.field];
    const clamp = (v: number) => Math.round(Math.min(spec.max, Math.max(spec.min, v)) * 1000) / 1000;
    const up = comp.direction === "up";
    const bound = clamp(up ? anchor.value + margin : anchor.value - margin);
    const ideal = clamp(up ? anchor.value + 3 * margin : anchor.value - 3 * margin);
    removeWhere(
      s.plan.constraints,
      (c) =>
        c.type === "range" &&
        c.field === comp.field &&
        ["reference", "word", "grounded"].includes(c.source.kind),
    );
    const f = (v: number) => formatValue(comp.field as FilterField, Math.round(v * 1000) / 1000);
    addConstraint(s.plan, {
      type: "range",
      field: comp.field,
      ...(up ? { min: bound } : { max: bound }),
      ideal,
      label: `${comp.text} than ${anchor.what} (${comp.field} ${up ? ">=" : "<="} ${f(bound)})`,
      hard: true,
      priority: PRIORITY.word,
      source: { kind: "comparative", text: comp.text },
    });
    s.plan.notes.push(
      `"${comp.text}": ${comp.field} ${up ? "above" : "below"} ${anchor.what} (${f(anchor.value)}), by ${f(margin)} or more (comparative)`,
    );
  }
}
