/**
 * Lyrics themes: "songs about heartbreak", "lyrics about the ocean", "sad songs about love and heartbreak", "christmas
 * lyrics". Read only when the catalog has lyrics (the stage is skipped otherwise, so the words mean what they did).
 * A theme needs a cue, "about" before it or "lyrics" next to it: a bare "party songs" stays an activity.
 */
import { THEMES } from "../../enrich/lyrics/themes.js";
import { addConstraint, PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import { normQuery } from "../tokens.js";

/** Theme words (normalized) -> theme name. */
const THEME_WORDS: ReadonlyMap<string, string> = new Map(
  THEMES.flatMap((t) => [...t.words, t.name].map((w): [string, string] => [normQuery(w), t.name])),
);
const LONGEST = Math.max(...[...THEME_WORDS.keys()].map((w) => w.split(" ").length));

/** Words between themes of one list ("love and heartbreak", "war or death"). */
const JOINERS = new Set(["and", "or", "nor", "also", "plus"]);
const LYRICS_WORDS = new Set(["lyrics", "lyric", "words"]);
/** After "lyrics": "lyrics of heartbreak", "lyrics on death", "lyrics with the sea in them". */
const LYRICS_LINKS = new Set(["about", "of", "on", "with"]);

/** The theme phrase starting at token i (longest first; a plural read as its singular), or null. */
function themeAt(s: PlanState, i: number): { theme: string; len: number } | null {
  for (let len = Math.min(LONGEST, s.tokens.length - i); len >= 1; len--) {
    if (Array.from({ length: len }, (_, k) => s.isClaimed(i + k)).some(Boolean)) continue;
    const text = s.tokens
      .slice(i, i + len)
      .map((t) => t.text)
      .join(" ");
    const theme = THEME_WORDS.get(text) ?? (len === 1 ? THEME_WORDS.get(text.replace(/s$/, "")) : undefined);
    if (theme) return { theme, len };
  }
  return null;
}

/** The themes listed from token i on; the index after the list. */
function themeList(s: PlanState, from: number): { themes: string[]; end: number } {
  const themes: string[] = [];
  let i = from;
  let end = from;
  while (i < s.tokens.length) {
    const found = themeAt(s, i);
    if (found) {
      themes.push(found.theme);
      i += found.len;
      end = i;
    } else if (themes.length > 0 && JOINERS.has(s.tokens[i]?.text ?? "")) i++;
    else break;
  }
  return { themes, end };
}

/** The theme list a cue at token i introduces, as [first token, end) of the words to claim. */
function cuedThemes(s: PlanState, i: number): { themes: string[]; start: number; end: number } | null {
  const word = s.tokens[i]?.text ?? "";
  const next = s.tokens[i + 1]?.text ?? "";
  if (word === "about") {
    const list = themeList(s, i + 1);
    // "lyrics about": the word "lyrics" goes with the cue.
    const start = LYRICS_WORDS.has(s.tokens[i - 1]?.text ?? "") ? i - 1 : i;
    return list.themes.length > 0 ? { themes: list.themes, start, end: list.end } : null;
  }
  if (LYRICS_WORDS.has(word) && LYRICS_LINKS.has(next) && next !== "about") {
    const list = themeList(s, i + 2);
    return list.themes.length > 0 ? { themes: list.themes, start: i, end: list.end } : null;
  }
  if (LYRICS_WORDS.has(word)) {
    // "<theme> lyrics": the theme right before the cue.
    for (let start = Math.max(0, i - LONGEST); start < i; start++) {
      const list = themeList(s, start);
      if (list.themes.length > 0 && list.end === i) return { themes: list.themes, start, end: i + 1 };
    }
  }
  return null;
}

export function readThemes(s: PlanState): void {
  for (let i = 0; i < s.tokens.length; i++) {
    if (s.isClaimed(i)) continue;
    const found = cuedThemes(s, i);
    if (!found) continue;
    const first = s.tokens[found.start];
    const last = s.tokens[found.end - 1];
    if (!first || !last) continue;
    const text = s.norm.slice(first.start, last.end);
    s.claim(first.start, last.end);
    for (const theme of new Set(found.themes))
      addConstraint(s.plan, {
        type: "theme",
        theme,
        label: `lyrics: ${theme}`,
        hard: false,
        priority: PRIORITY.word,
        source: { kind: "lyrics themes", text },
      });
    i = found.end - 1;
  }
}
