import { CHOICE_FLAGS, type FilterField, formatValue } from "../domain/fields.js";
import type { Range, TrackFilters } from "../store/store.js";
import { PRIORITY } from "./constraints.js";
import type { Constraint } from "./plan.js";

/** Command-line filters as plan constraints (hard, from options). */
export function optionConstraints(filters: TrackFilters): Constraint[] {
  const out: Constraint[] = [];
  const source = (text: string) => ({ kind: "option" as const, text });
  for (const [field, range] of Object.entries(filters.ranges ?? {}) as Array<[FilterField, Range]>) {
    const choice = CHOICE_FLAGS.find((f) => f.name === field);
    const one = choice !== undefined && range.min !== undefined && range.min === range.max;
    const label = one
      ? field === "mode"
        ? `${range.min === 1 ? "major" : "minor"} key`
        : `${field.replace("_", " ")} ${formatValue(field, range.min as number)}`
      : `${field} ${range.min ?? "…"}..${range.max ?? "…"}`;
    out.push({
      type: "range",
      field,
      min: range.min,
      max: range.max,
      label,
      hard: true,
      priority: PRIORITY.option,
      source: source(one ? `--${choice.choice.flag}` : `--${field.replace("_", "-")}`),
    });
  }
  if (filters.genres) {
    out.push({
      type: "genre",
      labels: filters.genres,
      core: filters.genres,
      label: `genre ${filters.genres.join("/")}`,
      hard: true,
      priority: PRIORITY.option,
      source: source("--genre"),
    });
  }
  if (filters.explicit !== undefined) {
    out.push({
      type: "explicit",
      value: filters.explicit,
      label: filters.explicit ? "explicit" : "clean (not explicit)",
      hard: true,
      priority: PRIORITY.option,
      source: source(filters.explicit ? "--explicit" : "--no-explicit"),
    });
  }
  return out;
}
