/**
 * Keys, modes and meters as the planner reads them: pitch-class names, the Camelot wheel and meter words, as data.
 * The catalog's `key` is the tonic's pitch class (C = 0 ... B = 11, -1 when none was detected), `mode` is 0 minor
 * or 1 major, and `time_signature` the estimated beats per bar, 3 to 7 ("3/4" to "7/4"; 4 is by far the most
 * common), as Spotify's audio features define them.
 */

export { ACCIDENTALS, MODE_WORDS, PITCH_LETTERS, PITCH_NAMES } from "../../domain/pitch.js";

/**
 * The Camelot wheel (Mixed In Key, https://mixedinkey.com/camelot-wheel/): number 1..12 and A (minor) or B
 * (major) to pitch class. Neighbours on the wheel (same number, +-1, A <-> B) mix harmonically.
 */
export const CAMELOT: Readonly<Record<string, { key: number; mode: 0 | 1 }>> = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => {
    // 1A is G#/Ab minor; each step round the wheel is a fifth up (7 semitones); B is the relative major (+3).
    const minor = (8 + 7 * i) % 12;
    return [
      [`${i + 1}A`, { key: minor, mode: 0 as const }],
      [`${i + 1}B`, { key: (minor + 3) % 12, mode: 1 as const }],
    ];
  }).flat(),
);

/**
 * Lowercase "a minor" / "a major" is usually an article ("in a minor key", "a major label"): it names the key A
 * only after a cue ("in", "key of") and at the end of the query or before one of these words.
 */
export const A_KEY_FOLLOWERS = [
  "songs",
  "tracks",
  "music",
  "tunes",
  "pieces",
  "and",
  "or",
  "with",
  "that",
  "please",
];

/**
 * Meters written as fractions, to the dataset's beats-per-bar estimate. The estimate counts 3 to 7 beats of a
 * quarter-note-like pulse, so 6/8 (two groups of three) has no value of its own: it is read as 3, its triple feel
 * (a convention, not a measured mapping); 12/8 likewise as 4.
 */
export const METER_FRACTIONS: Readonly<Record<string, number>> = {
  "3/4": 3,
  "4/4": 4,
  "5/4": 5,
  "6/4": 6,
  "7/4": 7,
  "6/8": 3,
  "12/8": 4,
  "7/8": 7,
  "5/8": 5,
};

/** Meter words and phrases: a waltz is in 3/4. */
export const METER_WORDS: Readonly<Record<string, number>> = {
  waltz: 3,
  waltzes: 3,
  "triple meter": 3,
  "triple time": 3,
  "common time": 4,
};

/**
 * "Odd meter": a time signature other than 3 and 4. The estimate's values above 4 (5, 6 and 7 beats per bar) are
 * the odd ones it can tell; values below 3 are rare estimation artefacts and are left out.
 */
export const ODD_METER = { min: 5, max: 7 } as const;
export const ODD_METER_WORDS = [
  "odd meter",
  "odd meters",
  "odd time",
  "odd time signature",
  "odd time signatures",
  "unusual time signature",
  "unusual time signatures",
  "irregular meter",
];
