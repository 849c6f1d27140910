/** The shapes of the vocabulary's entries. */
import type { FilterField } from "../../domain/fields.js";

export type Direction = "high" | "low";

/** How strongly a word asks: plain, "very ...", or "a bit ...". */
export type Strength = "plain" | "very" | "bit";

export interface FeatureConcept {
  /** Stable name shown in plans, e.g. "high energy". */
  name: string;
  field: FilterField;
  direction: Direction;
  /** Threshold for the plain word, "very" and "a bit"/"slightly". */
  plain: number;
  very: number;
  bit: number;
  /** Where the fit reaches 1 (beyond the threshold): ranks the clearest examples first. */
  ideal: number;
  /** Words and phrases meaning this concept. */
  words: readonly string[];
}

export interface Activity {
  name: string;
  words: readonly string[];
  /** Soft feature preferences. */
  concepts: ReadonlyArray<{ concept: string; strength: Strength }>;
  /** Soft genre preferences (catalog labels). */
  genres: readonly string[];
  /** Tempo given with this activity also counts at half or double time (a runner's cadence). */
  octaveTempo?: boolean;
}
