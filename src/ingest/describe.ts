import { createHash } from "node:crypto";
import { PITCH_NAMES } from "../domain/fields.js";
import { SIMILAR_ARTIST_PREFIX, type Track } from "../domain/track.js";

/**
 * The words a description uses for each feature. A band applies when value < below (first match wins); the
 * README's description table is this data, written out. Changing a band changes descriptions, so the content
 * hash re-embeds exactly the tracks affected.
 */
export interface Band {
  below: number;
  words: string;
}

export const ENERGY_BANDS: readonly Band[] = [
  { below: 0.2, words: "very calm, very low energy" },
  { below: 0.4, words: "calm, low energy" },
  { below: 0.6, words: "moderate energy" },
  { below: 0.8, words: "energetic, high energy" },
  { below: Number.POSITIVE_INFINITY, words: "very energetic, intense" },
];

export const VALENCE_BANDS: readonly Band[] = [
  { below: 0.2, words: "very sad, dark mood" },
  { below: 0.35, words: "sad, melancholic mood" },
  { below: 0.5, words: "bittersweet mood" },
  { below: 0.65, words: "warm, positive mood" },
  { below: 0.8, words: "happy, upbeat mood" },
  { below: Number.POSITIVE_INFINITY, words: "very happy, euphoric mood" },
];

export const TEMPO_BANDS: readonly Band[] = [
  { below: 1, words: "" },
  { below: 70, words: "very slow tempo" },
  { below: 95, words: "slow tempo" },
  { below: 115, words: "mid-tempo" },
  { below: 130, words: "moderately fast tempo" },
  { below: 160, words: "fast tempo" },
  { below: Number.POSITIVE_INFINITY, words: "very fast tempo" },
];

export const DANCEABILITY_BANDS: readonly Band[] = [
  { below: 0.4, words: "not danceable" },
  { below: 0.6, words: "somewhat danceable" },
  { below: 0.75, words: "danceable" },
  { below: Number.POSITIVE_INFINITY, words: "very danceable" },
];

export const ACOUSTICNESS_BANDS: readonly Band[] = [
  { below: 0.2, words: "electric" },
  { below: 0.6, words: "" },
  { below: 0.8, words: "mostly acoustic" },
  { below: Number.POSITIVE_INFINITY, words: "acoustic" },
];

export const INSTRUMENTALNESS_BANDS: readonly Band[] = [
  { below: 0.5, words: "with vocals" },
  { below: 0.7, words: "mostly instrumental" },
  { below: Number.POSITIVE_INFINITY, words: "instrumental, no vocals" },
];

export const LIVENESS_BANDS: readonly Band[] = [
  { below: 0.7, words: "" },
  { below: Number.POSITIVE_INFINITY, words: "live recording" },
];

export const SPEECHINESS_BANDS: readonly Band[] = [
  { below: 0.33, words: "" },
  { below: 0.66, words: "rap or speech-heavy vocals" },
  { below: Number.POSITIVE_INFINITY, words: "spoken word" },
];

export const LOUDNESS_BANDS: readonly Band[] = [
  { below: -10, words: "quiet" },
  { below: -6, words: "" },
  { below: Number.POSITIVE_INFINITY, words: "loud" },
];

/** Length in seconds. */
export const LENGTH_BANDS: readonly Band[] = [
  { below: 1, words: "" },
  { below: 150, words: "very short" },
  { below: 180, words: "short" },
  { below: 360, words: "" },
  { below: 600, words: "very long" },
  { below: Number.POSITIVE_INFINITY, words: "extremely long" },
];

export const POPULARITY_BANDS: readonly Band[] = [
  { below: 26, words: "obscure" },
  { below: 60, words: "" },
  { below: 75, words: "popular" },
  { below: Number.POSITIVE_INFINITY, words: "very popular hit" },
];

export function band(bands: readonly Band[], value: number): string {
  return (bands.find((b) => value < b.below) ?? bands[bands.length - 1])?.words ?? "";
}

/** "1990s" for 1994; null without a year. */
export function decade(year: number | null): string | null {
  return year ? `${Math.floor(year / 10) * 10}s` : null;
}

export function keyName(key: number, mode: number): string {
  const tonic = PITCH_NAMES[key];
  const scale = mode === 1 ? "major" : "minor";
  return tonic ? `${tonic} ${scale}` : `${scale} key`;
}

/** Genre labels read as words: "drum-and-bass" -> "drum and bass", "r-n-b" -> "r&b". */
export function genreWords(genre: string): string {
  if (genre === "r-n-b") return "r&b";
  return genre.replace(/-n-/g, " n ").replace(/-/g, " ");
}

/**
 * Synthesizes the text that is embedded for a track: a pure function of its fields. Short on purpose: the
 * embedding model's cost grows with tokens, and every clause here is one a listener might search for.
 */
export function describeTrack(t: Track): string {
  const parts: string[] = [];
  let head = `${t.name} by ${t.artists.join(", ")}`;
  if (t.album && t.album !== t.name) head += `, from ${t.album}`;
  parts.push(`${head}.`);
  if (t.allGenres.length > 0) parts.push(`Genre: ${t.allGenres.slice(0, 6).map(genreWords).join(", ")}.`);
  const tags = llmTagWords(t);
  if (tags) parts.push(tags);

  const tempoWords = band(TEMPO_BANDS, t.tempo);
  const traits = [
    band(ENERGY_BANDS, t.energy),
    band(VALENCE_BANDS, t.valence),
    tempoWords ? `${tempoWords} (${Math.round(t.tempo)} BPM)` : "",
    band(DANCEABILITY_BANDS, t.danceability),
    band(ACOUSTICNESS_BANDS, t.acousticness),
    band(INSTRUMENTALNESS_BANDS, t.instrumentalness),
    band(SPEECHINESS_BANDS, t.speechiness),
    band(LIVENESS_BANDS, t.liveness),
    band(LOUDNESS_BANDS, t.loudness),
    keyName(t.key, t.mode),
  ].filter((w) => w !== "");
  parts.push(`${capitalize(traits.join(", "))}.`);

  const seconds = t.durationMs / 1000;
  const context = [
    decade(t.year) ? `${decade(t.year)} (${t.year})` : "",
    band(LENGTH_BANDS, seconds) || (seconds >= 1 ? `${Math.round(seconds / 60)} min` : ""),
    band(POPULARITY_BANDS, t.popularity),
    t.explicit ? "explicit lyrics" : "",
  ].filter((w) => w !== "");
  if (context.length > 0) parts.push(`${capitalize(context.join(", "))}.`);
  return parts.join(" ");
}

/** "Tags: dreamy, shoegaze; sounds like Slowdive." from the track's LLM tags, or "" without any. */
export function llmTagWords(t: Track): string {
  const all = t.llmTags?.tags ?? [];
  const like = SIMILAR_ARTIST_PREFIX;
  const tags = all.filter((x) => !x.startsWith(like));
  const artists = all.filter((x) => x.startsWith(like)).map((x) => x.slice(like.length));
  if (tags.length === 0 && artists.length === 0) return "";
  const said = [
    ...(tags.length > 0 ? [tags.join(", ")] : []),
    ...(artists.length > 0 ? [`sounds like ${artists.join(", ")}`] : []),
  ];
  return `Tags: ${said.join("; ")}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Content hash of a description: equal hashes mean the stored embedding is still valid. */
export function descriptionHash(description: string): string {
  return createHash("sha1").update(description).digest("hex").slice(0, 16);
}

/** The bands above as the README's markdown table (a test keeps the README in step). */
export function descriptionTable(): string {
  const rows: Array<[string, readonly Band[]]> = [
    ["energy", ENERGY_BANDS],
    ["valence (mood)", VALENCE_BANDS],
    ["tempo (BPM, also given as a number)", TEMPO_BANDS],
    ["danceability", DANCEABILITY_BANDS],
    ["acousticness", ACOUSTICNESS_BANDS],
    ["instrumentalness", INSTRUMENTALNESS_BANDS],
    ["speechiness", SPEECHINESS_BANDS],
    ["liveness", LIVENESS_BANDS],
    ["loudness (dB)", LOUDNESS_BANDS],
    ['length (seconds; otherwise "N min")', LENGTH_BANDS],
    ["popularity", POPULARITY_BANDS],
  ];
  const lines = ["| feature | value range: words (— means nothing is said) |", "|---|---|"];
  for (const [name, bands] of rows) {
    let lo = "min";
    const parts = bands.map((b) => {
      const hi = b.below === Number.POSITIVE_INFINITY ? "max" : String(b.below);
      const part = `${lo} to ${hi}: ${b.words || "—"}`;
      lo = hi;
      return part;
    });
    lines.push(`| ${name} | ${parts.join("; ")} |`);
  }
  return lines.join("\n");
}
