/**
 * @data Comparative words: "happier", "faster", "calmer", and how far a comparative moves the target past its
 * anchor (the reference track, the likes' median, or the catalog's median for the genre asked). Hand-written for
 * this project; the margins are about a third of each feature's "one unit of misfit" scale in the field table.
 * "more X" / "less X" for any feature word of the vocabulary are read by the planner without being listed here.
 */
import type { ProfileField } from "../../domain/fields.js";

export interface Comparative {
  field: ProfileField;
  /** "up": more than the anchor; "down": less. */
  direction: "up" | "down";
}

export const COMPARATIVE_WORDS: Readonly<Record<string, Comparative>> = {
  happier: { field: "valence", direction: "up" },
  cheerier: { field: "valence", direction: "up" },
  brighter: { field: "valence", direction: "up" },
  sadder: { field: "valence", direction: "down" },
  darker: { field: "valence", direction: "down" },
  gloomier: { field: "valence", direction: "down" },
  faster: { field: "tempo", direction: "up" },
  quicker: { field: "tempo", direction: "up" },
  slower: { field: "tempo", direction: "down" },
  calmer: { field: "energy", direction: "down" },
  mellower: { field: "energy", direction: "down" },
  softer: { field: "energy", direction: "down" },
  chiller: { field: "energy", direction: "down" },
  gentler: { field: "energy", direction: "down" },
  harder: { field: "energy", direction: "up" },
  heavier: { field: "energy", direction: "up" },
  rougher: { field: "energy", direction: "up" },
  wilder: { field: "energy", direction: "up" },
  louder: { field: "loudness", direction: "up" },
  quieter: { field: "loudness", direction: "down" },
  groovier: { field: "danceability", direction: "up" },
  shorter: { field: "duration_ms", direction: "down" },
  longer: { field: "duration_ms", direction: "up" },
};

/** How far past the anchor the target starts, per field. */
export const COMPARATIVE_MARGIN: Readonly<Record<ProfileField, number>> = {
  valence: 0.1,
  energy: 0.1,
  danceability: 0.08,
  acousticness: 0.1,
  tempo: 8,
  loudness: 2,
  duration_ms: 30_000,
};

/** Words that turn the next feature word into a comparative: "more energetic", "less acoustic". */
export const COMPARATIVE_MODIFIERS: Readonly<Record<string, "up" | "down">> = {
  more: "up",
  less: "down",
  "a lot more": "up",
  "a bit more": "up",
  "a little more": "up",
  "a bit less": "down",
  "a little less": "down",
};
