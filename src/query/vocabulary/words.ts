/**
 * @data Function words: modifiers, negators, stopwords, numbers, decades, and the words of explicitness, versions
 * and number phrases. Hand-written for this project (English usage, no outside source).
 */

/** Words that shape the next concept. */
export const INTENSIFIERS = [
  "very",
  "really",
  "super",
  "extremely",
  "highly",
  "incredibly",
  "ultra",
  "most",
  "so",
  "truly",
  "totally",
  "insanely",
  "crazy",
];
export const SOFTENERS = [
  "a bit",
  "a little",
  "slightly",
  "somewhat",
  "kind of",
  "kinda",
  "sort of",
  "fairly",
  "moderately",
  "mildly",
  "a touch",
  "semi",
  "rather",
];
export const NEGATORS = [
  "not",
  "no",
  "non",
  "without",
  "isn't",
  "isnt",
  "aren't",
  "arent",
  "never",
  "nothing",
  "don't",
  "dont",
  "doesn't",
  "doesnt",
  "less",
  "avoid",
  "except",
  "excluding",
  "minus",
  "but not",
  "free of",
  "instead of",
];

/** Words with no content of their own for planning. */
export const STOPWORDS = new Set(
  (
    "a an the and or of to in on at for from with by as is are be been was were that which who whom this these those it its " +
    "song songs track tracks music tune tunes stuff something some any me my i you we us our give play find show want need " +
    "like likes love please can could would should will just really get more less feel feels feeling sound sounds sounding " +
    "vibe vibes type kind sort good great best nice list playlist recommend recommendations suggest suggestions listen " +
    "listening while when during about all one ones have has has do does into genre genres style styles artist artists mood moods"
  ).split(" "),
);

export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  half: 0.5,
};

export const DECADE_WORDS: Readonly<Record<string, number>> = {
  twenties: 1920,
  thirties: 1930,
  forties: 1940,
  fifties: 1950,
  sixties: 1960,
  seventies: 1970,
  eighties: 1980,
  nineties: 1990,
  noughties: 2000,
  aughts: 2000,
};

/** Words asking for explicit (true) or clean (false) lyrics. */
export const EXPLICIT_WORDS: ReadonlyArray<readonly [string, boolean]> = [
  ["explicit", true],
  ["explicit lyrics", true],
  ["explicit content", true],
  ["nsfw", true],
  ["profanity", true],
  ["uncensored", true],
  ["dirty", true],
  ["clean", false],
  ["clean lyrics", false],
  ["clean version", false],
  ["family friendly", false],
  ["kid friendly", false],
  ["radio friendly", false],
  ["censored", false],
];

/** Words asking for versions rather than one per song. */
export const VERSION_WORDS = [
  "remix",
  "remixes",
  "remixed",
  "edit",
  "edits",
  "bootleg",
  "bootlegs",
  "rework",
  "flip",
  "mashup",
  "cover",
  "covers",
  "version",
  "versions",
  "live version",
  "acoustic version",
  "remaster",
  "remastered",
];

/** Words in a track title that make it a remix or another version of a song. */
export const REMIX_WORDS = ["remix", "bootleg", "edit", "version", "mix", "rework", "flip", "cover"];

/** Words of "X that would sound good as Y" itself, not of X. */
export const TRANSFORM_WORDS: ReadonlySet<string> = new Set([
  "that",
  "which",
  "would",
  "could",
  "might",
  "sound",
  "sounds",
  "work",
  "good",
  "great",
  "well",
  "as",
]);

/** Words around numbers: units, and the cues that make a number a bound or a target. */
export const NUMBER_PHRASES = {
  tempoUnits: ["bpm", "beats per minute"],
  lengthUnits: ["minutes", "minute", "mins", "min", "seconds", "second", "secs", "sec"],
  tempoAbove: ["over", "above", "faster than", "more than", "at least", "min", "minimum", "greater than"],
  tempoBelow: ["under", "below", "slower than", "less than", "at most", "max", "maximum"],
  tempoAround: [
    "around",
    "about",
    "roughly",
    "approximately",
    "approx",
    "near",
    "close to",
    "circa",
    "at",
    "exactly",
  ],
  lengthBelow: [
    "under",
    "less than",
    "shorter than",
    "below",
    "at most",
    "no more than",
    "max",
    "maximum",
    "within",
  ],
  lengthAbove: ["over", "more than", "longer than", "above", "at least", "min", "minimum"],
  lengthAround: ["around", "about", "roughly"],
} as const;
