/** Text normalization shared by matching, collapsing and lookups. */

/** Lower case, no accents, "&" read as "and", punctuation as spaces: "Beyoncé & Jay-Z" -> "beyonce and jay z". */
export function normName(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The title without version suffixes: "Helena - 2014 Remaster", "Helena (Live)", "Helena [Radio Edit]" -> "helena". */
export function baseTitle(name: string): string {
  const head = name.split(/\s+-\s+|\s*[([]/, 1)[0] ?? name;
  return normName(head.replace(/\b(feat|ft|featuring)\.?\s.*$/i, "")) || normName(name);
}

/** One key per song: the same artists and base title, whatever the version. */
export function songKey(artists: readonly string[], name: string): string {
  return `${[...artists].map(normName).sort().join("|")}::${baseTitle(name)}`;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** 0..1: how alike two strings are, 1 for equal ones, falling with the share of edits (1 - distance / longer). */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const n = Math.max(a.length, b.length);
  return n === 0 ? 1 : 1 - editDistance(a, b) / n;
}
