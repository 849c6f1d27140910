/** The query as the planner reads it: one normalized form, split into word tokens with their offsets. */
import { normName } from "../domain/text.js";

/** Query words are matched in one form: no apostrophes, then normName ("Isn't" -> "isnt", "R&B" -> "r and b"). */
export function normQuery(s: string): string {
  return normName(s.replace(/['’`]/g, ""));
}

/** The normalized query; lengths as "2:30" or "2.5 minutes" become seconds before punctuation is dropped. */
export function normalizeQuery(query: string): string {
  return normQuery(
    query
      .replace(
        /\b(\d+):(\d\d)\b(?:\s*(?:minutes?|mins?))?/g,
        (_, m: string, sec: string) => `${Number(m) * 60 + Number(sec)} seconds`,
      )
      .replace(
        /\b(\d+\.\d+)\s*(minutes?|mins?)\b/g,
        (_, x: string) => `${Math.round(Number(x) * 60)} seconds`,
      ),
  );
}

/** A word of the normalized query and where it sits (character offsets, end exclusive). */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export function tokenize(s: string): Token[] {
  return [...s.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}
