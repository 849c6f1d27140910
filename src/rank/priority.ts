/**
 * What a constraint's priority means to ranking and relaxation. Priorities are set by the planner (src/query):
 * grounded words 1, activities 2, bits 3, the user's words and profiles 4, numbers 5, genres 6, artists 7,
 * command-line options 100.
 */
import type { Constraint } from "../query/plan.js";

/** From this priority up a constraint was stated by the user, not implied by an activity, a bit or a grounded word. */
export const STATED_PRIORITY = 4;

/** Command-line options: hard, and never relaxed. */
export const OPTION_PRIORITY = 100;

/** How much a constraint's fit counts: hard ones fully, stated preferences more than implied ones. */
export const FIT_WEIGHT = { hard: 1, stated: 0.7, implied: 0.4 } as const;

export function fitWeight(c: Pick<Constraint, "hard" | "priority">): number {
  if (c.hard) return FIT_WEIGHT.hard;
  return c.priority >= STATED_PRIORITY ? FIT_WEIGHT.stated : FIT_WEIGHT.implied;
}

/** A hard constraint that may become a preference when too few tracks meet them all ("not this song" never does). */
export function isRelaxable(c: Constraint): boolean {
  return c.hard && c.priority < OPTION_PRIORITY && c.type !== "not_song";
}
