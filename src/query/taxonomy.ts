/**
 * Genres the catalog has no label for ("shoegaze", "dream pop"), mapped to its nearest labels through the genre
 * taxonomy (vocabulary/genre-taxonomy.json): the genre's parents and children first, then its grandparents, siblings
 * and grandchildren. A taxonomy genre counts when the phrase table already reads its name as catalog labels
 * ("alternative rock" -> alt-rock). Soft by design: the catalog never said these tracks are shoegaze.
 */
import { GENRE_PARENTS } from "./vocabulary/genre-taxonomy.js";

/** How a taxonomy genre relates to the genre asked. */
export type TaxonomyRelation = "parent" | "child" | "grandparent" | "sibling" | "grandchild";

export interface TaxonomyLink {
  /** The catalog label. */
  label: string;
  /** The taxonomy genre that reads as that label, and how it relates to the genre asked. */
  through: string;
  relation: TaxonomyRelation;
}

export interface TaxonomyMapping {
  genre: string;
  /** Labels at the nearest distance: the full match. */
  core: string[];
  /** Core and the labels one step further: a partial match. */
  labels: string[];
  links: TaxonomyLink[];
}

/**
 * Catalog evidence: a label that at least this share of a core label's tracks also carry joins the mapping as a
 * partial match (114K: alt-rock -> alternative 59%; the next, alt-rock -> metal, is 23% and stays out).
 */
export const EVIDENCE_SHARE = 0.3;

/** Most labels a mapping takes at each distance, so a genre under a broad parent is not "all of electronic". */
const MAX_PER_DISTANCE = 4;

let childrenIndex: Map<string, string[]> | null = null;

function childrenOf(genre: string): string[] {
  if (!childrenIndex) {
    childrenIndex = new Map();
    for (const [child, parents] of Object.entries(GENRE_PARENTS))
      for (const p of parents) childrenIndex.set(p, [...(childrenIndex.get(p) ?? []), child]);
  }
  return childrenIndex.get(genre) ?? [];
}

const parentsOf = (genre: string) => GENRE_PARENTS[genre] ?? [];

/** The taxonomy genres one and two steps from `genre`, with how they relate to it, nearest first. */
function neighbours(genre: string): Array<Array<{ name: string; relation: TaxonomyRelation }>> {
  const near = [
    ...parentsOf(genre).map((name) => ({ name, relation: "parent" as const })),
    ...childrenOf(genre).map((name) => ({ name, relation: "child" as const })),
  ];
  const far = [
    ...parentsOf(genre).flatMap((p) =>
      parentsOf(p).map((name) => ({ name, relation: "grandparent" as const })),
    ),
    ...parentsOf(genre).flatMap((p) =>
      childrenOf(p)
        .filter((c) => c !== genre)
        .map((name) => ({ name, relation: "sibling" as const })),
    ),
    ...childrenOf(genre).flatMap((c) =>
      childrenOf(c).map((name) => ({ name, relation: "grandchild" as const })),
    ),
  ];
  return [near, far];
}

/** Every genre name of the taxonomy. */
export function taxonomyGenres(): string[] {
  return Object.keys(GENRE_PARENTS);
}

/**
 * The catalog labels nearest to a taxonomy genre, or null when none within two steps reads as a label.
 * `labelsOf` reads a taxonomy genre's name as catalog labels (the phrase table's genre entry), or null.
 */
export function nearestLabels(
  genre: string,
  labelsOf: (name: string) => readonly string[] | null,
): TaxonomyMapping | null {
  const levels = neighbours(genre).map((level) => {
    const links: TaxonomyLink[] = [];
    for (const { name, relation } of level) {
      for (const label of labelsOf(name) ?? []) {
        if (links.length >= MAX_PER_DISTANCE) break;
        if (!links.some((l) => l.label === label)) links.push({ label, through: name, relation });
      }
    }
    return links;
  });
  const first = levels.findIndex((l) => l.length > 0);
  if (first < 0) return null;
  const core = (levels[first] as TaxonomyLink[]).map((l) => l.label);
  const further = (levels[first + 1] ?? []).filter((l) => !core.includes(l.label));
  return {
    genre,
    core,
    labels: [...core, ...further.map((l) => l.label)],
    links: [...(levels[first] as TaxonomyLink[]), ...further],
  };
}
