import { SpotivecError } from "../domain/errors.js";
import { editDistance } from "../domain/text.js";
import { normalizeGenre } from "../ingest/normalize.js";

/** One spelling per genre: "Drum and Bass" / "drum-and-bass", "R&B" / "r-n-b", "hip hop" / "hip-hop". */
const squash = (s: string) =>
  normalizeGenre(s)
    .replace(/&/g, "n")
    .replace(/[\s_-]+/g, "");

/**
 * Maps what a user typed ("Drum and Bass", "hip hop") onto the catalog's genre labels. An unknown genre is a usage
 * error naming the closest labels, so a typo never turns into an empty search.
 */
export function resolveGenres(wanted: readonly string[], labels: readonly string[]): string[] {
  const bySquashed = new Map<string, string[]>();
  for (const label of labels)
    bySquashed.set(squash(label), [...(bySquashed.get(squash(label)) ?? []), label]);
  return wanted.flatMap((w) => {
    const found = bySquashed.get(squash(w));
    if (found) return found;
    const near = [...labels]
      .sort((a, b) => editDistance(squash(w), squash(a)) - editDistance(squash(w), squash(b)))
      .slice(0, 5);
    throw new SpotivecError("USAGE", `Unknown genre "${w}"`, {
      expected: labels.length > 0 ? "a genre label of the catalog" : "an ingested catalog with genre labels",
      got: `"${w}"${near.length > 0 ? `; closest labels: ${near.join(", ")}` : ""}`,
      hint: "Run `spotivec info --genres` to list the catalog's genres.",
    });
  });
}
