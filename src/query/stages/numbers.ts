/**
 * Numbers with units, as a table of rules run in order: tempo ("120-130 bpm", "over 140 bpm"), length ("under three
 * minutes"; m:ss and decimals arrive as seconds, see normalizeQuery) and release years ("80s", "before 1980").
 * A rule's match counts only where none of its words was understood already.
 */
import type { FilterField } from "../../domain/fields.js";
import { PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import type { RangeConstraint } from "../types.js";
import { DECADE_WORDS, NUMBER_WORDS, NUMBER_PHRASES as P } from "../vocabulary.js";

export interface NumberRule {
  pattern: RegExp;
  /** The constraint a match asks for; null leaves its words free. */
  build(m: RegExpMatchArray): RangeConstraint | null;
}

const escapeRegExp = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** An alternation of words, in the given order (the first that leads to a match wins). */
const anyOf = (words: readonly string[]) => `(?:${words.map(escapeRegExp).join("|")})`;

/** Whole numbers as digits or words; "half" is read only in "and a half". */
const NUM = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS)
  .filter((w) => Number.isInteger(NUMBER_WORDS[w]))
  .join("|")})`;
const BPM = anyOf(P.tempoUnits);
const UNIT = `(${P.lengthUnits.map(escapeRegExp).join("|")})`;
const HALF = "(\\s+and\\s+a\\s+half)?";
const LONG = "(?:\\s+long)?";

function parseNumber(word: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? null;
}

function range(
  field: FilterField,
  m: RegExpMatchArray,
  bounds: { min?: number; max?: number; ideal?: number },
  label: string,
): RangeConstraint {
  return {
    type: "range",
    field,
    min: bounds.min,
    max: bounds.max,
    // Years have no ideal: any year in range fits as well.
    ...(bounds.ideal !== undefined ? { ideal: bounds.ideal } : {}),
    label,
    hard: true,
    priority: PRIORITY.number,
    source: { kind: "number", text: m[0] },
  };
}

const ms = (n: string, half: string | undefined, unit: string) =>
  ((parseNumber(n) ?? 0) + (half ? 0.5 : 0)) * (unit.startsWith("s") ? 1000 : 60_000);
const show = (v: number) => (v % 60_000 === 0 ? `${v / 60_000} min` : `${Math.round(v / 1000)} s`);

const TEMPO_RULES: NumberRule[] = [
  {
    pattern: new RegExp(`\\b(?:between|from)?\\s*(\\d{2,3})\\s*(?:to|and)\\s*(\\d{2,3})\\s*${BPM}\\b`, "g"),
    build: (m) => {
      const [a, b] = [Number(m[1]), Number(m[2])];
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
      return range("tempo", m, { min: lo, max: hi, ideal: (a + b) / 2 }, `${lo}-${hi} BPM`);
    },
  },
  {
    pattern: new RegExp(`\\b${anyOf(P.tempoAbove)}\\s*(\\d{2,3})\\s*${BPM}\\b`, "g"),
    build: (m) => range("tempo", m, { min: Number(m[1]), ideal: Number(m[1]) + 15 }, `over ${m[1]} BPM`),
  },
  {
    pattern: new RegExp(`\\b${anyOf(P.tempoBelow)}\\s*(\\d{2,3})\\s*${BPM}\\b`, "g"),
    build: (m) => range("tempo", m, { max: Number(m[1]), ideal: Number(m[1]) - 15 }, `under ${m[1]} BPM`),
  },
  {
    pattern: new RegExp(
      `\\b(?:(${P.tempoAround.map(escapeRegExp).join("|")})\\s+)?(\\d{2,3})\\s*${BPM}\\b`,
      "g",
    ),
    build: (m) => {
      const n = Number(m[2]);
      const tolerance = m[1] === "exactly" ? 1 : 5;
      return range("tempo", m, { min: n - tolerance, max: n + tolerance, ideal: n }, `around ${n} BPM`);
    },
  },
  {
    pattern: /\b(\d{2,3})bpm\b/g,
    build: (m) => {
      const n = Number(m[1]);
      return range("tempo", m, { min: n - 5, max: n + 5, ideal: n }, `around ${n} BPM`);
    },
  },
];

const LENGTH_RULES: NumberRule[] = [
  {
    pattern: new RegExp(
      `\\b(?:between|from)\\s+${NUM}\\s+(?:and|to)\\s+${NUM}${HALF}\\s*${UNIT}${LONG}\\b`,
      "g",
    ),
    build: (m) => {
      const a = ms(m[1] as string, undefined, m[4] as string);
      const b = ms(m[2] as string, m[3], m[4] as string);
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
      return range("duration_ms", m, { min: lo, max: hi, ideal: (a + b) / 2 }, `${show(lo)} to ${show(hi)}`);
    },
  },
  {
    pattern: new RegExp(`\\b${anyOf(P.lengthBelow)}\\s+(?:a\\s+)?${NUM}${HALF}\\s*${UNIT}${LONG}\\b`, "g"),
    build: (m) => {
      const v = ms(m[1] as string, m[2], m[3] as string);
      return range("duration_ms", m, { max: v, ideal: Math.max(0, v - 60_000) }, `under ${show(v)}`);
    },
  },
  {
    pattern: new RegExp(`\\b${anyOf(P.lengthAbove)}\\s+(?:a\\s+)?${NUM}${HALF}\\s*${UNIT}${LONG}\\b`, "g"),
    build: (m) => {
      const v = ms(m[1] as string, m[2], m[3] as string);
      return range("duration_ms", m, { min: v, ideal: v + 120_000 }, `over ${show(v)}`);
    },
  },
  {
    pattern: new RegExp(`\\b${anyOf(P.lengthAround)}?\\s*${NUM}${HALF}\\s*${UNIT}${LONG}\\b`, "g"),
    build: (m) => {
      const v = ms(m[1] as string, m[2], m[3] as string);
      if (v <= 0) return null;
      return range("duration_ms", m, { min: v - 30_000, max: v + 30_000, ideal: v }, `about ${show(v)}`);
    },
  },
];

const decade = (d: number) => (m: RegExpMatchArray) => range("year", m, { min: d, max: d + 9 }, `${d}s`);

const YEAR_RULES: NumberRule[] = [
  {
    pattern: /\b(?:the\s+)?(?:(19|20)?(\d)0s)\b/g,
    build: (m) => {
      const d = Number(m[2]);
      return decade(m[1] ? Number(`${m[1]}${m[2]}0`) : d >= 2 ? 1900 + d * 10 : 2000 + d * 10)(m);
    },
  },
  {
    pattern: new RegExp(`\\b(?:the\\s+)?(${Object.keys(DECADE_WORDS).join("|")})\\b`, "g"),
    build: (m) => decade(DECADE_WORDS[m[1] as string] as number)(m),
  },
  {
    pattern: /\b(before|after|since|until|from|in)\s+((?:19|20)\d\d)\b/g,
    build: (m) => {
      const y = Number(m[2]);
      if (m[1] === "before") return range("year", m, { max: y - 1 }, `before ${y}`);
      if (m[1] === "until") return range("year", m, { max: y }, `until ${y}`);
      if (m[1] === "after") return range("year", m, { min: y + 1 }, `after ${y}`);
      if (m[1] === "since") return range("year", m, { min: y }, `since ${y}`);
      return range("year", m, { min: y, max: y }, `from ${y}`);
    },
  },
];

/** In the order they run: a rule earlier in the list takes the words first. */
export const NUMBER_RULES: readonly NumberRule[] = [...TEMPO_RULES, ...LENGTH_RULES, ...YEAR_RULES];

export function readNumbers(s: PlanState): void {
  for (const rule of NUMBER_RULES) {
    for (const m of s.norm.matchAll(rule.pattern)) {
      const [start, end] = [m.index, m.index + m[0].length];
      if (!s.isFree(start, end)) continue;
      const c = rule.build(m);
      if (!c) continue;
      s.claim(start, end);
      if (c.field === "year" && !s.ctx.hasYears) {
        s.plan.notes.push(
          `"${m[0].trim()}" ignored: this catalog has no release years (the 114K dataset has none; the 600K one does)`,
        );
      } else s.plan.constraints.push(c);
    }
  }
}
