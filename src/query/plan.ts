/**
 * Query understanding: text -> a typed, inspectable QueryPlan. Deterministic (no LLM, no network): phrase tables
 * from the vocabulary, numbers and units by pattern, genres and artists from the catalog, and, for words the
 * tables lack, grounding against the concept vocabulary with the embedding model.
 *
 * planQuery runs an ordered list of stages over one PlanState. Each stage claims the words it understood, so a
 * later stage reads only what is left; a stage that depends on an earlier one's result says so in the list.
 */
import { identifyConstraints } from "./constraints.js";
import { PhraseTables } from "./phrases.js";
import { readArtists } from "./stages/artists.js";
import { comparativeTargets, readComparatives } from "./stages/comparatives.js";
import { groundFreeWords } from "./stages/grounding.js";
import { readHarmonic } from "./stages/harmonic.js";
import { readKeys } from "./stages/key.js";
import { readLlmTags } from "./stages/llm-tags.js";
import { readNumbers } from "./stages/numbers.js";
import { readPersonal } from "./stages/personal.js";
import { dropNegatedWords, octaveTempo, relativeLength, wordsOverReference } from "./stages/reconcile.js";
import { readReference } from "./stages/reference.js";
import { readThemes } from "./stages/themes.js";
import { readTransform } from "./stages/transform.js";
import { readWords } from "./stages/words.js";
import { PlanState } from "./state.js";
import type { PlanContext, PlanOptions, QueryPlan } from "./types.js";

export { formatValue } from "../domain/fields.js";
export {
  conceptByName,
  conceptConstraint,
  DEFAULT_ARTIST_CAP,
  emptyPlan,
  identifyConstraints,
  PRIORITY,
} from "./constraints.js";
export { optionConstraints } from "./options.js";
export { genreFamily, PhraseTables } from "./phrases.js";
export { groundingConcepts } from "./stages/grounding.js";
export { similarPlan } from "./stages/reference.js";
export { normQuery } from "./tokens.js";
export type * from "./types.js";

export interface Stage {
  name: string;
  run(s: PlanState): void | Promise<void>;
  /** When an earlier stage's result makes this one moot. */
  skipWhen?(s: PlanState): boolean;
}

/** The stages, in order: structures first (they claim the words they span), then numbers, phrases, grounding. */
export const STAGES: readonly Stage[] = [
  { name: "personal", run: readPersonal },
  { name: "transform", run: readTransform },
  // "X as Y" already says what the results are like.
  { name: "reference", run: readReference, skipWhen: (s) => s.plan.transform !== null },
  // "songs about the sea": before the artists and the phrase tables, so theme words are read as themes.
  { name: "themes", run: readThemes, skipWhen: (s) => s.ctx.hasLyrics !== true },
  // Before artists: "happier than Creep by Radiohead" names a track, not an artist to keep to.
  { name: "comparatives", run: readComparatives },
  // Before artists: "harmonic with Creep by Radiohead" names a track.
  { name: "harmonic", run: readHarmonic },
  // "songs like Radiohead" names an artist to leave out, not one to keep to.
  { name: "artists", run: readArtists, skipWhen: (s) => s.plan.reference !== null },
  // Before numbers, so "3/4" and "8A" are not read as numbers.
  { name: "keys", run: readKeys },
  { name: "numbers", run: readNumbers },
  { name: "words", run: readWords },
  // After the phrase loop, whose negations it reads.
  { name: "llm tags", run: readLlmTags },
  { name: "relative length", run: relativeLength },
  { name: "words over reference", run: wordsOverReference },
  { name: "comparative targets", run: comparativeTargets },
  { name: "negated words", run: dropNegatedWords },
  { name: "octave tempo", run: octaveTempo },
  { name: "grounding", run: groundFreeWords },
  {
    name: "artist cap",
    run: (s) => {
      if (s.plan.constraints.some((c) => c.type === "artist")) s.plan.artistCap = null;
    },
  },
];

/**
 * The phrase tables planQuery uses unless options.phrases gives its own: one memo for the process, since a table
 * depends only on the label list (and is rebuilt when that changes).
 */
const SHARED_PHRASE_TABLES = new PhraseTables();

export async function planQuery(
  query: string,
  ctx: PlanContext,
  options: PlanOptions = {},
): Promise<QueryPlan> {
  const phrases = (options.phrases ?? SHARED_PHRASE_TABLES).for(ctx.genreLabels);
  const state = new PlanState(query, ctx, phrases, options.optionConstraints);
  for (const stage of STAGES) {
    if (stage.skipWhen?.(state)) continue;
    await stage.run(state);
  }
  return identifyConstraints(state.plan);
}
