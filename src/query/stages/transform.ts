/**
 * "X that would sound good as Y", "X as Y", "Y remix of X": X is what to search, Y's measured sound shapes the
 * ranking (remixes: see remix.ts).
 */
import { PRIORITY } from "../constraints.js";
import { type GenreEntry, genreWordsIn } from "../phrases.js";
import type { PlanState } from "../state.js";
import type { ConstraintSource } from "../types.js";
import { TRANSFORM_WORDS } from "../vocabulary.js";
import { remixConstraints } from "./remix.js";

const TRANSFORM_RE =
  /^(.*?)\s*\b(?:(?:that|which)\s+)?(?:would|could|might|will)?\s*(?:sound|work|fit|translate)s?\s+(?:\w+\s+)?(?:good|great|well|nice|better|amazing)?\s*(?:as|in)\s+(?:a\s+)?(.+?)(?:\s+(?:remix|remixes|version|versions|track|tracks|songs?))?$/;
const TRANSFORM_AS_RE =
  /^(.*?)\s+\b(?:as|in the style of|turned into|reimagined as|done as)\s+(?:a\s+)?(.+?)(?:\s+(?:remix|remixes|version|versions|tracks?|songs?))?$/;
const REMIX_OF_RE =
  /^(.+?)\s+(?:remix|remixes|version|versions|cover|covers|edit|edits|bootleg|bootlegs|rework)\s+of\s+(.+)$/;

/** Y and X as the query words them; `remix` when the query asks for versions of X in Y. */
interface TransformWords {
  target: GenreEntry;
  remix: boolean;
  /** Where the words of the structure end ("hardstyle remix of "), for remixes. */
  structureEnd: number;
  /** Where Y starts, for "X as Y". */
  targetStart: number;
  /** X, for remixes. */
  source: string;
}

function transformWords(s: PlanState): TransformWords | null {
  const { norm } = s;
  const remixOf = REMIX_OF_RE.exec(norm);
  const remixTarget = remixOf?.[1] as string | undefined;
  if (remixOf && remixTarget !== undefined) {
    const target = genreWordsIn(remixTarget, s.phrases);
    if (target) {
      const structureEnd = remixTarget.length + norm.slice(remixTarget.length).indexOf(" of ") + 4;
      return { target, remix: true, structureEnd, targetStart: 0, source: remixOf[2] as string };
    }
  }
  const m = TRANSFORM_RE.exec(norm) ?? TRANSFORM_AS_RE.exec(norm);
  if (!m?.[1]) return null;
  const words = m[2] as string;
  const target = genreWordsIn(words, s.phrases);
  if (!target) return null;
  return {
    target,
    remix: false,
    structureEnd: norm.length,
    targetStart: norm.lastIndexOf(words),
    source: "",
  };
}

export function readTransform(s: PlanState): void {
  const words = transformWords(s);
  if (!words) return;
  const { target } = words;
  const { plan } = s;
  // Words of the structure itself are used up; the target's genre is not a filter on the results.
  if (words.remix) s.claim(0, words.structureEnd);
  else {
    s.claim(words.targetStart, s.norm.length);
    s.claim(0, s.norm.length, (t) => TRANSFORM_WORDS.has(t.text));
  }
  const profile = s.ctx.profile({ genres: target.labels });
  plan.transform = { target: target.key, labels: [...target.labels], profile };
  plan.semanticText = plan.query;
  if (words.remix) {
    remixConstraints(s, target, words.source);
    return;
  }
  if (!profile) {
    plan.notes.push(`no ${target.key} tracks in the catalog to measure its sound`);
    return;
  }
  const p = profile.percentiles;
  const source: ConstraintSource = { kind: "profile", text: `${target.key} (${profile.count} tracks)` };
  const lo = Math.round(p.tempo[0]);
  const hi = Math.round(p.tempo[4]);
  plan.constraints.push({
    type: "range",
    field: "tempo",
    min: lo,
    max: hi,
    octave: true,
    ideal: Math.round(p.tempo[2]),
    label: `${target.key} tempo ${lo}-${hi} BPM (or half/double time)`,
    hard: true,
    priority: PRIORITY.profile,
    source,
  });
  plan.constraints.push({
    type: "range",
    field: "energy",
    min: Math.round(Math.min(p.energy[0], 0.7) * 100) / 100,
    ideal: Math.round(p.energy[2] * 100) / 100,
    label: `${target.key} energy`,
    hard: false,
    priority: PRIORITY.profile,
    source,
  });
}
