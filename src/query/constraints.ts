/** Building constraints: priorities, the builders the stages share, adding without duplicates, and stable ids. */
import { normName } from "../domain/text.js";
import type { GenreEntry } from "./phrases.js";
import type { Constraint, ConstraintSource, GenreConstraint, QueryPlan, RangeConstraint } from "./types.js";
import { FEATURE_CONCEPTS, type FeatureConcept, type Strength } from "./vocabulary.js";

export const DEFAULT_ARTIST_CAP = 3;

/** Priorities for relaxation: grounded words go first, the user's own options never. */
export const PRIORITY = {
  grounded: 1,
  activity: 2,
  // A model's judgement, not a measured feature: counts like an implied preference (never hard, never relaxed).
  llmTag: 2,
  bit: 3,
  word: 4,
  profile: 4,
  number: 5,
  genre: 6,
  artist: 7,
  option: 100,
} as const;

/** A plan that asks nothing yet: the text is embedded as it is, one version per song, the default artist cap. */
export function emptyPlan(query: string): QueryPlan {
  return {
    query,
    personal: null,
    semanticText: query.trim(),
    constraints: [],
    reference: null,
    transform: null,
    freeWords: [],
    notes: [],
    collapseVersions: true,
    artistCap: DEFAULT_ARTIST_CAP,
  };
}

export function conceptByName(name: string): FeatureConcept {
  const c = FEATURE_CONCEPTS.find((x) => x.name === name);
  if (!c) throw new Error(`unknown concept ${name}`);
  return c;
}

function threshold(c: FeatureConcept, strength: Strength): number {
  return strength === "very" ? c.very : strength === "bit" ? c.bit : c.plain;
}

function conceptPriority(source: ConstraintSource, strength: Strength): number {
  if (source.kind === "grounded") return PRIORITY.grounded;
  if (source.kind === "activity") return PRIORITY.activity;
  return strength === "bit" ? PRIORITY.bit : PRIORITY.word;
}

const bound = (atLeast: boolean, t: number) => (atLeast ? { min: t } : { max: t });

export function conceptConstraint(
  c: FeatureConcept,
  strength: Strength,
  negated: boolean,
  source: ConstraintSource,
  hard: boolean,
): RangeConstraint {
  const t = threshold(c, strength);
  const priority = conceptPriority(source, strength);
  const high = c.direction === "high";
  if (c.field === "mode") {
    // Mode is 0 or 1: "not minor" is major.
    const major = high !== negated;
    return {
      type: "range",
      field: "mode",
      ...(major ? { min: 1 } : { max: 0 }),
      label: major ? "major key" : "minor key",
      hard,
      priority,
      source,
    };
  }
  if (!negated) {
    const prefix = strength === "very" ? "very " : strength === "bit" ? "a bit " : "";
    const ideal = high ? Math.max(c.ideal, t) : Math.min(c.ideal, t);
    return {
      type: "range",
      field: c.field,
      ...bound(high, t),
      ideal,
      label: prefix + c.name,
      hard,
      priority,
      source,
    };
  }
  // "not sad": the complement of the plain range, with the ideal as far again on the other side.
  const mirror = 2 * t - c.ideal;
  return {
    type: "range",
    field: c.field,
    ...bound(!high, t),
    ideal: mirror,
    label: `not ${c.name}`,
    hard,
    priority,
    source,
  };
}

export function genreConstraint(
  entry: GenreEntry,
  negated: boolean,
  text: string,
  hard: boolean,
  priority: number = PRIORITY.genre,
): GenreConstraint {
  return {
    type: "genre",
    // Copies: the table's entries are shared by every plan.
    labels: [...entry.labels],
    core: [...entry.core],
    label: `${negated ? "not " : ""}genre ${entry.key}`,
    hard,
    priority,
    source: { kind: entry.viaSynonym ? "synonym" : "word", text },
    ...(negated ? { exclude: true } : {}),
  };
}

/** Removes in place: the plan's constraint list is one array from start to end. */
export function removeWhere<T>(list: T[], drop: (x: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (drop(list[i] as T)) list.splice(i, 1);
}

/** Adds a constraint unless an equivalent one is there; a hard one replaces a soft twin. */
export function addConstraint(plan: QueryPlan, c: Constraint): void {
  const same = plan.constraints.findIndex((x) => x.type === c.type && x.label === c.label);
  if (same >= 0) {
    const existing = plan.constraints[same] as Constraint;
    if (!existing.hard && c.hard) plan.constraints[same] = c;
    return;
  }
  // Two ranges on one field from words ("calm" and "very calm"): keep the stricter, hard over soft.
  if (c.type === "range" && c.source.kind !== "option") {
    const twin = plan.constraints.find(
      (x): x is RangeConstraint =>
        x.type === "range" &&
        x.field === c.field &&
        x.source.kind !== "option" &&
        (x.min !== undefined) === (c.min !== undefined) &&
        (x.max !== undefined) === (c.max !== undefined),
    );
    if (twin?.hard && !c.hard) return;
  }
  plan.constraints.push(c);
}

const slug = (s: string) => normName(s).replace(/ /g, "-");

/** What a constraint asks, as an id: the same words give the same id whatever the label says. */
function constraintKey(c: Constraint): string {
  const not = "exclude" in c && c.exclude ? "not-" : "";
  switch (c.type) {
    case "range": {
      const side = c.min !== undefined && c.max !== undefined ? "band" : c.min !== undefined ? "high" : "low";
      const from = c.source.kind === "option" ? "option-" : c.source.kind === "reference" ? "like-" : "";
      return `${from}${slug(c.field)}-${side}`;
    }
    case "genre":
      return `${not}genre-${[...c.core].sort().map(slug).join("+")}`;
    case "artist":
      return `${not}artist-${c.norms.map(slug).join("+")}`;
    case "explicit":
      return c.value ? "explicit" : "clean";
    case "title":
      return `title-${slug(c.words[0] ?? "")}`;
    case "liked":
      return `${not}liked`;
    case "not_song":
      return "not-song";
    case "theme":
      return `lyrics-${slug(c.theme)}`;
    case "llm_tag":
      return `llm-tag-${slug(c.tag)}`;
    case "keys":
      return "harmonic-keys";
  }
}

/** Gives every constraint without an id one, unique within the plan (a second "energy-high" is "energy-high-2"). */
export function identifyConstraints(plan: QueryPlan): QueryPlan {
  const taken = new Set(plan.constraints.flatMap((c) => (c.id ? [c.id] : [])));
  for (const c of plan.constraints) {
    if (c.id) continue;
    const key = constraintKey(c);
    let id = key;
    for (let n = 2; taken.has(id); n++) id = `${key}-${n}`;
    taken.add(id);
    c.id = id;
  }
  return plan;
}
