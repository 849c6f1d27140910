/**
 * The phrase loop: known phrases, left to right, longest first. Modifiers ("very", "a bit", "not") shape the next
 * phrase within a few words; every other phrase becomes constraints.
 */
import {
  addConstraint,
  conceptByName,
  conceptConstraint,
  genreConstraint,
  PRIORITY,
} from "../constraints.js";
import { type Entry, type GenreEntry, stemLookup } from "../phrases.js";
import type { PlanState } from "../state.js";
import { EVIDENCE_SHARE, type TaxonomyMapping } from "../taxonomy.js";
import type { Token } from "../tokens.js";
import { GENRE_TAXONOMY_SOURCE } from "../vocabulary/genre-taxonomy.js";
import { COMPOSITE_MOODS, GENRE_IMPLIES, type Strength } from "../vocabulary.js";

/** How a phrase is read: its words, and the modifiers before it. */
interface Reading {
  text: string;
  strength: Strength;
  negated: boolean;
}

interface Pending {
  strength: Strength;
  negated: boolean;
  /** Modifiers reach the next concept within a few words ("not too sad", "very, very fast"). */
  ttl: number;
}

/** The longest known phrase starting at token i whose words are all free (stems for single words). */
function phraseAt(s: PlanState, i: number): { entry: Entry; len: number; text: string } | null {
  const { phrases, tokens } = s;
  for (let len = Math.min(phrases.maxLen, tokens.length - i); len >= 1; len--) {
    const span = tokens.slice(i, i + len);
    if (span.some((_, k) => s.isClaimed(i + k))) continue;
    const text = span.map((t) => t.text).join(" ");
    const entry = phrases.map.get(text) ?? (len === 1 ? stemLookup(phrases, text) : undefined);
    if (entry) return { entry, len, text };
  }
  return null;
}

export function readWords(s: PlanState): void {
  const { tokens } = s;
  let pending = null as Pending | null;
  /** Where the modifiers of the pending phrase start: negation leaves them out of the embedded text too. */
  let modifierStart = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (s.isClaimed(i)) continue;
    const match = phraseAt(s, i);
    if (pending && --pending.ttl < 0) {
      pending = null;
      modifierStart = -1;
    }
    if (!match) continue;
    const matchStart = i;
    i += match.len - 1;
    s.claim((tokens[matchStart] as Token).start, (tokens[i] as Token).end);
    const { entry, text } = match;
    const reading: Reading = {
      text,
      strength: pending?.strength ?? "plain",
      negated: pending?.negated ?? false,
    };
    if (entry.kind === "modifier") {
      if (!pending) modifierStart = matchStart;
      pending = {
        strength: entry.modifier === "very" ? "very" : entry.modifier === "bit" ? "bit" : reading.strength,
        negated: entry.modifier === "not" ? !reading.negated : reading.negated,
        ttl: 2,
      };
      continue;
    }
    if (reading.negated)
      for (let k = modifierStart >= 0 ? modifierStart : matchStart; k <= i; k++) s.negatedTokens.add(k);
    pending = null;
    modifierStart = -1;
    readPhrase(s, entry, reading);
  }
}

type Handlers = {
  [K in Exclude<Entry["kind"], "modifier">]: (
    s: PlanState,
    e: Extract<Entry, { kind: K }>,
    r: Reading,
  ) => void;
};

/** What each kind of phrase adds to the plan. */
const HANDLERS: Handlers = {
  concept: (s, e, r) =>
    addConstraint(
      s.plan,
      conceptConstraint(
        e.concept,
        r.strength,
        r.negated,
        { kind: "word", text: r.text },
        r.strength !== "bit",
      ),
    ),
  composite: (s, e, r) => {
    for (const part of COMPOSITE_MOODS[e.word] ?? []) {
      const source = { kind: "synonym" as const, text: r.text };
      const c = conceptConstraint(conceptByName(part.concept), part.strength, r.negated, source, !r.negated);
      addConstraint(s.plan, { ...c, label: `${r.negated ? "not " : ""}${e.word}: ${c.label}` });
    }
  },
  activity: readActivity,
  explicit: (s, e, r) => {
    const value = r.negated ? !e.value : e.value;
    addConstraint(s.plan, {
      type: "explicit",
      value,
      label: value ? "explicit" : "clean (not explicit)",
      hard: true,
      priority: PRIORITY.word,
      source: { kind: "word", text: r.negated ? `not ${r.text}` : r.text },
    });
  },
  genre: (s, e, r) => {
    if (e.taxonomy) {
      readTaxonomyGenre(s, e, r);
      return;
    }
    addConstraint(s.plan, genreConstraint(e, r.negated, r.text, true));
    for (const implied of r.negated ? [] : (GENRE_IMPLIES[e.key] ?? [])) {
      const source = { kind: "synonym" as const, text: r.text };
      const c = conceptConstraint(conceptByName(implied), "bit", false, source, false);
      addConstraint(s.plan, { ...c, label: `${e.key}: ${c.label}` });
    }
  },
  versions: (s, _e, r) => {
    // Versions are still one per song; the one whose title says so ranks first.
    const stem = r.text.replace(/(es|s|ed)$/, "").replace(/ version$/, "");
    addConstraint(s.plan, {
      type: "title",
      words: stem === "remix" ? ["remix", "mix", "edit", "bootleg", "rework"] : [stem],
      label: `a ${stem} version`,
      hard: false,
      priority: PRIORITY.word,
      source: { kind: "word", text: r.text },
    });
  },
};

/** A genre the catalog lacks: its nearest labels as a preference, and a note that names them and the source. */
function readTaxonomyGenre(s: PlanState, e: GenreEntry, r: Reading): void {
  const mapping = e.taxonomy as TaxonomyMapping;
  const c = genreConstraint(e, r.negated, r.text, false);
  const evidence = catalogEvidence(s, mapping);
  c.labels.push(...evidence.map((x) => x.genre));
  addConstraint(s.plan, { ...c, source: { kind: "taxonomy", text: r.text } });
  const how = mapping.links.map((l) => `${l.label} (${l.relation} ${l.through})`).join(", ");
  const seen = evidence.map((x) => `${x.genre} (${Math.round(x.share * 100)}% of ${x.of} tracks)`).join(", ");
  // The embedded text says the labels instead of the name: "shoegaze" alone is nearest to songs about shoes.
  if (!r.negated) {
    const escaped = r.text.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const written = new RegExp(escaped.join("[\\s'-]*"), "i");
    s.plan.semanticText = s.plan.semanticText.replace(written, mapping.labels.join(" "));
  }
  s.plan.notes.push(
    `${e.key} is not a label in this catalog: ${r.negated ? "avoiding" : "preferring"} ${c.labels.join(", ")} (taxonomy, ${GENRE_TAXONOMY_SOURCE}: ${how}${seen ? `; catalog evidence: ${seen}` : ""})`,
  );
}

/** Labels that most tracks of a core label also carry, not in the mapping yet. */
function catalogEvidence(s: PlanState, mapping: TaxonomyMapping) {
  const out: Array<{ genre: string; share: number; of: string }> = [];
  for (const of of mapping.core)
    for (const x of s.ctx.genreOverlap?.(of) ?? [])
      if (
        x.share >= EVIDENCE_SHARE &&
        !mapping.labels.includes(x.genre) &&
        !out.some((o) => o.genre === x.genre)
      )
        out.push({ ...x, of });
  return out;
}

function readActivity(s: PlanState, e: Extract<Entry, { kind: "activity" }>, r: Reading): void {
  const { activity } = e;
  if (activity.octaveTempo) s.octaveTempo = true;
  for (const part of activity.concepts) {
    const source = { kind: "activity" as const, text: r.text };
    const c = conceptConstraint(conceptByName(part.concept), part.strength, r.negated, source, false);
    addConstraint(s.plan, { ...c, label: `${activity.name}: ${c.label}` });
  }
  const labels = activity.genres.filter((g) => s.ctx.genreLabels.includes(g));
  if (labels.length === 0) return;
  addConstraint(s.plan, {
    type: "genre",
    labels,
    core: labels,
    label: `${activity.name} genres`,
    hard: false,
    priority: PRIORITY.activity,
    source: { kind: "activity", text: r.text },
  });
}

function readPhrase(s: PlanState, entry: Exclude<Entry, { kind: "modifier" }>, reading: Reading): void {
  (HANDLERS[entry.kind] as (s: PlanState, e: Entry, r: Reading) => void)(s, entry, reading);
}
