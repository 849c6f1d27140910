/**
 * Pitch and mode names as data, shared by the field table's `--key` / `--mode` parsing and the query planner's key
 * stage. The catalog's `key` is the tonic's pitch class (C = 0 ... B = 11, -1 when none was detected) and `mode` is
 * 0 minor or 1 major, as Spotify's audio features define them.
 */

/** Pitch classes as labels read them, C = 0 (sharps: "A min", "F# maj"). */
export const PITCH_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"] as const;

/** Pitch classes by letter; a sharp adds 1, a flat takes 1 away (mod 12). */
export const PITCH_LETTERS: Readonly<Record<string, number>> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

/** Accidentals after a letter: sharp +1, flat -1. */
export const ACCIDENTALS: Readonly<Record<string, number>> = {
  "#": 1,
  "♯": 1,
  sharp: 1,
  b: -1,
  "♭": -1,
  flat: -1,
};

/** Words after a letter that name the mode. */
export const MODE_WORDS: Readonly<Record<string, 0 | 1>> = {
  major: 1,
  maj: 1,
  minor: 0,
  min: 0,
};

/** "A", "F#", "Bb", "c sharp" or a pitch class "0".."11" -> pitch class; null for anything else. */
export function parseKeyName(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t) <= 11 ? Number(t) : null;
  const m = /^([a-g])\s*(\S+)?$/.exec(t);
  if (!m) return null;
  const accidental = m[2];
  if (accidental !== undefined && !Object.hasOwn(ACCIDENTALS, accidental)) return null;
  const shift = accidental === undefined ? 0 : (ACCIDENTALS[accidental] as number);
  return ((PITCH_LETTERS[m[1] as string] as number) + shift + 12) % 12;
}

/** "major"/"maj"/"1" -> 1, "minor"/"min"/"0" -> 0. */
export function parseModeName(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === "1" || t === "0") return Number(t);
  return Object.hasOwn(MODE_WORDS, t) ? (MODE_WORDS[t] as number) : null;
}
