/**
 * Keys, modes and meters: "A minor", "F# major", "C sharp minor", "in Am", Camelot "8A", "3/4", "6/8 time", "waltz",
 * "odd meter". Each becomes hard range constraints with min = max on key, mode or time_signature (tables in
 * vocabulary/keys.ts). The forms are read from the query as typed, since normalizing drops "#" and "/", and the
 * matching words of the normalized query are claimed so later stages ("numbers", "words") leave them alone.
 */
import { PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import { normQuery } from "../tokens.js";
import type { RangeConstraint } from "../types.js";
import {
  A_KEY_FOLLOWERS,
  ACCIDENTALS,
  CAMELOT,
  METER_FRACTIONS,
  METER_WORDS,
  MODE_WORDS,
  ODD_METER,
  ODD_METER_WORDS,
  PITCH_LETTERS,
  PITCH_NAMES,
} from "../vocabulary/keys.js";

type Field = "key" | "mode" | "time_signature";
type Bounds = { min: number; max: number };

interface KeyRule {
  pattern: RegExp;
  /** The constraints a match asks for, or null to leave its words alone. */
  read(m: RegExpMatchArray, query: string): Array<[Field, Bounds, string]> | null;
}

const phrases = (words: readonly string[]) =>
  words
    .map((w) => w.replace(/ /g, "\\s+"))
    .sort((a, b) => b.length - a.length)
    .join("|");
const CUE = "(?:(?:in|key\\s+of|in\\s+the\\s+key\\s+of|key)\\s+)";
const NOT_AFTER = "(?<![\\p{L}\\p{N}#/])";
const NOT_BEFORE = "(?![\\p{L}\\p{N}])";

function pitch(letter: string, accidental: string | undefined): number {
  const base = PITCH_LETTERS[letter.toLowerCase()] as number;
  const shift = accidental ? (ACCIDENTALS[accidental.toLowerCase().replace(/[\s-]/g, "")] ?? 0) : 0;
  return (base + shift + 12) % 12;
}

function keyAndMode(key: number, mode: 0 | 1, suffix = ""): Array<[Field, Bounds, string]> {
  const modeName = mode === 1 ? "major" : "minor";
  return [
    ["key", { min: key, max: key }, `key ${PITCH_NAMES[key]} ${modeName}${suffix}`],
    ["mode", { min: mode, max: mode }, `${modeName} mode`],
  ];
}

const meter = (beats: number): [Field, Bounds, string] => [
  "time_signature",
  { min: beats, max: beats },
  `${beats}/4 time`,
];

/** In order: a rule earlier in the list takes the words first. */
export const KEY_RULES: readonly KeyRule[] = [
  {
    // "A minor", "in F# major", "C sharp minor", "Bb maj", "in the key of E minor".
    pattern: new RegExp(
      `${NOT_AFTER}(${CUE})?([a-g])(\\s*[#♯♭]|\\s*-?\\s*(?:sharp|flat)|b)?\\s*-?\\s*(major|minor|maj|min)\\b(?=(\\s+\\p{L}+)?)`,
      "giu",
    ),
    read: (m) => {
      const [, cue, letter, accidental, modeWord, next] = m as unknown as Array<string | undefined>;
      // Lowercase "a minor" is an article ("in a minor key", "a major label") unless a cue comes before and the
      // query ends or goes on with a word that cannot be the noun ("songs in a minor", "in a minor and fast").
      const article = letter === "a" && !accidental;
      const after = (next ?? "").trim().toLowerCase();
      if (article && (!cue || (after !== "" && !A_KEY_FOLLOWERS.includes(after)))) return null;
      const mode = MODE_WORDS[(modeWord as string).toLowerCase()] as 0 | 1;
      return keyAndMode(pitch(letter as string, accidental?.trim()), mode);
    },
  },
  {
    // "in Am", "key of F#m": the short minor form only after a cue, with a capital letter.
    pattern: new RegExp(`${NOT_AFTER}((?:[Ii]n|[Kk]ey(?:\\s+of)?)\\s+)([A-G])([#♯♭b])?m${NOT_BEFORE}`, "gu"),
    read: (m) => keyAndMode(pitch(m[2] as string, m[3]), 0),
  },
  {
    // Camelot "8A", "in 11B".
    pattern: new RegExp(`${NOT_AFTER}(${CUE})?(1[0-2]|[1-9])([ab])${NOT_BEFORE}`, "giu"),
    read: (m) => {
      const code = `${m[2]}${(m[3] as string).toUpperCase()}`;
      const entry = CAMELOT[code];
      return entry ? keyAndMode(entry.key, entry.mode, ` (${code})`) : null;
    },
  },
  {
    // "3/4", "in 4/4 time", "6/8 meter".
    pattern: new RegExp(
      `${NOT_AFTER}(?:in\\s+)?(\\d{1,2}/\\d{1,2})(?![\\d/])(?:\\s+(?:time\\s+signature|time|meter|metre))?`,
      "giu",
    ),
    read: (m) => {
      const beats = METER_FRACTIONS[m[1] as string];
      return beats === undefined ? null : [meter(beats)];
    },
  },
  {
    pattern: new RegExp(`\\b(?:${phrases(Object.keys(METER_WORDS))})\\b`, "giu"),
    read: (m) => [meter(METER_WORDS[m[0].toLowerCase().replace(/\s+/g, " ")] as number)],
  },
  {
    pattern: new RegExp(`\\b(?:in\\s+(?:an\\s+)?)?(?:${phrases(ODD_METER_WORDS)})\\b`, "giu"),
    read: () => [
      ["time_signature", { ...ODD_METER }, `odd meter (${ODD_METER.min}-${ODD_METER.max} beats per bar)`],
    ],
  },
];

/** Where the normalized form of typed words sits in the normalized query, among words no stage has taken. */
function locate(s: PlanState, typed: string): [number, number] | null {
  const n = normQuery(typed);
  if (!n) return null;
  for (let i = s.norm.indexOf(n); i >= 0; i = s.norm.indexOf(n, i + 1)) {
    const end = i + n.length;
    const bounded = (i === 0 || s.norm[i - 1] === " ") && (end === s.norm.length || s.norm[end] === " ");
    if (bounded && s.isFree(i, end)) return [i, end];
  }
  return null;
}

function constraint(field: Field, bounds: Bounds, label: string, text: string): RangeConstraint {
  return {
    type: "range",
    field,
    min: bounds.min,
    max: bounds.max,
    label,
    hard: true,
    priority: PRIORITY.number,
    source: { kind: "word", text },
  };
}

export function readKeys(s: PlanState): void {
  const found: RangeConstraint[] = [];
  for (const rule of KEY_RULES) {
    for (const m of s.query.matchAll(rule.pattern)) {
      const asks = rule.read(m, s.query);
      const typed = m[0];
      const at = asks ? locate(s, typed) : null;
      if (!asks || !at) continue;
      s.claim(at[0], at[1]);
      const text = typed.trim();
      for (const [field, bounds, label] of asks) {
        if (!found.some((c) => c.label === label)) found.push(constraint(field, bounds, label, text));
      }
    }
  }
  // Two keys or two meters ("A minor or E minor") would match nothing together: they only score.
  for (const field of ["key", "mode", "time_signature"] as const) {
    const own = found.filter((c) => c.field === field);
    if (own.length > 1) for (const c of own) c.hard = false;
  }
  s.plan.constraints.push(...found);
}
