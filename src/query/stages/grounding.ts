/** Words no table knew are grounded against the concept vocabulary (by the embedding model, in ctx.ground). */
import {
  addConstraint,
  conceptByName,
  conceptConstraint,
  genreConstraint,
  PRIORITY,
} from "../constraints.js";
import type { PhraseTable } from "../phrases.js";
import type { PlanState } from "../state.js";
import { normQuery } from "../tokens.js";
import type { ConstraintSource, Grounding, QueryPlan } from "../types.js";
import { ACTIVITIES, COMPOSITE_MOODS, FEATURE_CONCEPTS, STOPWORDS } from "../vocabulary.js";

/** The concepts unknown words are grounded against: feature words, activities and the catalog's genres. */
export function groundingConcepts(labels: readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of FEATURE_CONCEPTS) {
    out.add(c.name);
    for (const w of c.words.slice(0, 6)) out.add(w);
  }
  for (const w of Object.keys(COMPOSITE_MOODS)) out.add(w);
  for (const a of ACTIVITIES) for (const w of a.words.slice(0, 3)) out.add(w);
  for (const l of labels) out.add(l.replace(/-/g, " "));
  return [...out];
}

/** What is left: grounding, or free words that count only through the embedded text. */
export async function groundFreeWords(s: PlanState): Promise<void> {
  const { plan } = s;
  const free = s
    .unclaimed()
    .filter((t) => !STOPWORDS.has(t.text) && !/^\d+$/.test(t.text))
    .map((t) => t.text);
  if (free.length === 0 || !s.ctx.ground) {
    plan.freeWords.push(...free);
    return;
  }
  const grounded = await s.ctx.ground(free);
  const byWord = new Map(grounded.map((g) => [g.word, g]));
  for (const word of free) {
    const g = byWord.get(word);
    if (g) applyGrounding(plan, s.phrases, g);
    else plan.freeWords.push(word);
  }
}

function applyGrounding(plan: QueryPlan, table: PhraseTable, g: Grounding): void {
  const entry = table.map.get(normQuery(g.concept));
  const source: ConstraintSource = {
    kind: "grounded",
    text: g.word,
    concept: g.concept,
    similarity: Math.round(g.similarity * 1000) / 1000,
  };
  switch (entry?.kind) {
    case "concept":
      addConstraint(plan, {
        ...conceptConstraint(entry.concept, "plain", false, source, false),
        label: `${entry.concept.name} (from "${g.word}")`,
      });
      return;
    case "activity":
      for (const part of entry.activity.concepts) {
        const c = conceptConstraint(conceptByName(part.concept), part.strength, false, source, false);
        addConstraint(plan, { ...c, label: `${entry.activity.name}: ${c.label} (from "${g.word}")` });
      }
      return;
    case "genre":
      addConstraint(plan, {
        ...genreConstraint(entry, false, g.word, false, PRIORITY.grounded),
        source,
        label: `genre ${entry.key} (from "${g.word}")`,
      });
      return;
    default:
      plan.freeWords.push(g.word);
  }
}
