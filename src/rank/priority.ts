/** What a constraint's priority (set by the planner: PRIORITY in src/query) means to ranking and relaxation. */
import { type Constraint, PRIORITY } from "../query/plan.js";

/** From this priority up a constraint was stated by the user, not implied by an activity, a bit or a grounded word. */
export const STATED_PRIORITY = PRIORITY.word;

/** Command-line options: hard, and never relaxed. */
export const OPTION_PRIORITY = PRIORITY.option;

/** How much a constraint's fit counts: hard ones fully, stated preferences more than implied ones. */
export const FIT_WEIGHT = { hard: 1, stated: 0.7, implied: 0.4 } as const;

export function fitWeight(c: Pick<Constraint, "hard" | "priority">): number {
  if (c.hard) return FIT_WEIGHT.hard;
  return c.priority >= STATED_PRIORITY ? FIT_WEIGHT.stated : FIT_WEIGHT.implied;
}

/**
 * A hard constraint that may become a preference when too few tracks meet them all. "Not this song" never does, nor
 * a named artist: "tracks by Daft Punk" answers with Daft Punk's tracks, fewer if there are fewer, never others.
 */
export function isRelaxable(c: Constraint): boolean {
  return c.hard && c.priority < OPTION_PRIORITY && c.type !== "not_song" && c.type !== "artist";
}
