import { describe, expect, it } from "vitest";
import { describeError } from "../../src/domain/errors.js";
import type { Constraint } from "../../src/query/plan.js";
import { dropConstraints } from "../../src/search/search.js";
import { planOf, thrown } from "../helpers.js";

const source = { kind: "word", text: "w" } as const;
const constraints = (): Constraint[] => [
  {
    id: "tempo-high",
    label: "fast",
    type: "range",
    field: "tempo",
    min: 120,
    hard: true,
    priority: 2,
    source,
  },
  {
    id: "energy-low",
    label: "low energy",
    type: "range",
    field: "energy",
    max: 0.4,
    hard: false,
    priority: 1,
    source,
  },
];

describe("dropConstraints", () => {
  it("drops by id and by exact label, once each, noting it in the plan", () => {
    const byId = planOf(constraints());
    dropConstraints(byId, ["tempo-high", "tempo-high"]);
    expect(byId.constraints.map((c) => c.id)).toEqual(["energy-low"]);
    expect(byId.notes).toEqual(['left out "fast"']);
    const byLabel = planOf(constraints());
    dropConstraints(byLabel, ["low energy", "fast"]);
    expect(byLabel.constraints).toEqual([]);
  });

  it("refuses a name the plan does not hold, listing the plan's ids, and changes nothing", () => {
    const plan = planOf(constraints());
    const e = thrown(() => dropConstraints(plan, ["fast", "zzz"]));
    expect(e.code).toBe("USAGE");
    expect(describeError(e).status).toBe(400);
    expect(e.message).toContain('"zzz"');
    expect(e.expected).toContain("tempo-high, energy-low");
    expect(e.hint).toContain("tempo-high, energy-low");
    expect(plan.constraints).toHaveLength(2);
    const empty = thrown(() => dropConstraints(planOf([]), ["zzz"]));
    expect(empty.hint).toContain("no constraints");
  });
});
