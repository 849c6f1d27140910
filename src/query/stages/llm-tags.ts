/**
 * LLM tags in the query: when the catalog's tracks carry LLM tags, the tag vocabulary's words found in the query
 * are noted in the plan, so results that carry them can say so. No words are claimed: the same words may still
 * be read as moods or grounded as concepts by the stages after this one.
 */
import { TAG_VOCABULARY } from "../../enrich/tags/vocabulary.js";
import type { PlanState } from "../state.js";
import { normQuery } from "../tokens.js";

const NORMALIZED = TAG_VOCABULARY.map((t) => ({ tag: t.tag, norm: normQuery(t.tag) }));

export function readLlmTags(s: PlanState): void {
  if (!s.ctx.hasLlmTags) return;
  const text = ` ${s.norm} `;
  const found = NORMALIZED.filter((t) => t.norm !== "" && text.includes(` ${t.norm} `)).map((t) => t.tag);
  if (found.length > 0) s.plan.llmTags = found;
}
