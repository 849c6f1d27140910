import { existsSync } from "node:fs";
import { join } from "node:path";

/** The real data files (../shared/data/, never committed): present on machines that have them, else skipped. */
const DATA = join(import.meta.dirname, "..", "..", "..", "shared", "data");

export const REAL_114K = join(DATA, "spotify_tracks_dataset_114k.csv.gz");
/** The first 2,000 rows of the Spotify Million Song Dataset (artists ABBA to Britney Spears). */
export const REAL_LYRICS_SLICE = join(DATA, "spotify_millsongdata_PARTIAL_first2000.csv.gz");

/** Why a test of these files is skipped, or null when they are all there. */
export function missingData(...paths: string[]): string | null {
  const missing = paths.filter((p) => !existsSync(p));
  return missing.length > 0
    ? `${missing.join(", ")} absent (the real data is not shipped with the project)`
    : null;
}
