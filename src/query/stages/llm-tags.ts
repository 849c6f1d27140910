/**
 * LLM tags in the query: when the catalog's tracks carry LLM tags (`spotivec enrich tags`), each tag of the tag
 * vocabulary named in the query becomes a soft preference for tracks carrying it (never a filter: most catalogs are
 * tagged only in part, and untagged tracks are not held against it), and results carrying it say so in `why`.
 * No words are claimed: the same words may also be moods or concepts ("calm" is an energy range too), and they
 * still count through the embedded text, since tags are part of the descriptions. Runs after the phrase loop so
 * that "not dreamy" is left out, as the phrase loop's negations are.
 */
import { TAG_VOCABULARY } from "../../enrich/tags/vocabulary.js";
import { addConstraint, PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import { normQuery } from "../tokens.js";
import type { LlmTagConstraint } from "../types.js";
import { INTENSIFIERS, NEGATORS, SOFTENERS } from "../vocabulary.js";

const NORMALIZED = TAG_VOCABULARY.map((t) => ({ tag: t.tag, words: normQuery(t.tag).split(" ") })).filter(
  (t) => t.words[0] !== "",
);
const NEGATOR_WORDS = new Set(NEGATORS.map(normQuery));
/** Words that may stand between a negator and what it negates ("not too dreamy", "not a bit dreamy"). */
const MODIFIER_WORDS = new Set(
  [...INTENSIFIERS, ...SOFTENERS, "too"].flatMap((m) => normQuery(m).split(" ")),
);

/** Where the tag's words start in the query's tokens, every occurrence. */
function occurrences(s: PlanState, words: readonly string[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i + words.length <= s.tokens.length; i++)
    if (words.every((w, k) => s.tokens[i + k]?.text === w)) starts.push(i);
  return starts;
}

/** Negated when the phrase loop negated its words, or a negator stands before it with only modifiers between. */
function negatedAt(s: PlanState, start: number, length: number): boolean {
  for (let k = start; k < start + length; k++) if (s.negatedTokens.has(k)) return true;
  for (let k = start - 1; k >= 0; k--) {
    const word = s.tokens[k]?.text ?? "";
    if (NEGATOR_WORDS.has(word)) return true;
    if (!MODIFIER_WORDS.has(word)) return false;
  }
  return false;
}

export function llmTagConstraint(tag: string, text: string): LlmTagConstraint {
  return {
    type: "llm_tag",
    tag,
    label: `LLM tag ${tag}`,
    hard: false,
    priority: PRIORITY.llmTag,
    source: { kind: "llm-tag", text },
  };
}

export function readLlmTags(s: PlanState): void {
  if (!s.ctx.hasLlmTags) return;
  const found: string[] = [];
  for (const t of NORMALIZED) {
    const at = occurrences(s, t.words);
    if (at.length === 0 || at.every((i) => negatedAt(s, i, t.words.length))) continue;
    found.push(t.tag);
    addConstraint(s.plan, llmTagConstraint(t.tag, t.words.join(" ")));
  }
  if (found.length > 0) s.plan.llmTags = found;
}
