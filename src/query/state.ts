/** What the planning stages share: the query in its forms, the plan being built, and which words are taken. */

import type { StoredTrack } from "../store/store.js";
import { emptyPlan } from "./constraints.js";
import type { PhraseTable } from "./phrases.js";
import { normalizeQuery, type Token, tokenize } from "./tokens.js";
import type { Constraint, PlanContext, QueryPlan } from "./types.js";
import type { Comparative } from "./vocabulary/comparatives.js";

export class PlanState {
  readonly norm: string;
  readonly tokens: readonly Token[];
  readonly plan: QueryPlan;
  /** An activity whose tempo also counts at half or double time ("running"): number tempos do too. */
  octaveTempo = false;
  /** Indexes of tokens of negated phrases ("not sad"): left out of the text that is embedded. */
  readonly negatedTokens = new Set<number>();
  /** Comparatives read from the query ("happier", "more energetic"), set relative to an anchor once all is read. */
  readonly comparatives: Array<Comparative & { text: string }> = [];
  /** The tracks a reference names ("like Creep", "than Numb"): a comparative's anchor. */
  referenceTracks: StoredTrack[] = [];
  private readonly claimed: boolean[];

  constructor(
    readonly query: string,
    readonly ctx: PlanContext,
    readonly phrases: PhraseTable,
    optionConstraints: readonly Constraint[] = [],
  ) {
    this.norm = normalizeQuery(query);
    this.tokens = tokenize(this.norm);
    this.claimed = this.tokens.map(() => false);
    this.plan = emptyPlan(query);
    this.plan.constraints.push(...optionConstraints);
  }

  /**
   * Marks the tokens inside [start, end) of the normalized query as understood, so later stages leave them
   * alone; `only` narrows which of them.
   */
  claim(start: number, end: number, only: (t: Token) => boolean = () => true): void {
    this.tokens.forEach((t, i) => {
      if (t.start >= start && t.end <= end && only(t)) this.claimed[i] = true;
    });
  }

  isClaimed(index: number): boolean {
    return this.claimed[index] ?? false;
  }

  /** Whether [start, end) covers at least one token and none of them is claimed yet. */
  isFree(start: number, end: number): boolean {
    const covered = this.tokens.flatMap((t, i) => (t.start >= start && t.end <= end ? [i] : []));
    return covered.length > 0 && covered.every((i) => !this.claimed[i]);
  }

  /** Tokens no stage has claimed. */
  unclaimed(): Token[] {
    return this.tokens.filter((_, i) => !this.claimed[i]);
  }
}
