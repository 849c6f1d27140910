/**
 * TrackFilters as PostgreSQL conditions on the tracks table, with the same meaning as the SQLite store's
 * (../sqlite/filters.ts): ranges from the field table, unknown values (stored as 0) never matching a filter on them,
 * sets as `= ANY($n)` arrays. Column names come from the field table only; values are always parameters.
 */
import { FIELDS, type FilterField } from "../../domain/fields.js";
import { rangeConditions } from "../sql-terms.js";
import type { TrackFilters } from "../types.js";

/** Numbered parameters for one statement: `add(v)` returns its placeholder. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const RANGE_FIELDS = FIELDS.filter((f) => f.filter && f.type !== "boolean");

/** The conditions (to AND together) on the tracks table aliased `t`. */
export function filterConditions(filters: TrackFilters, p: Params, t = "t"): string[] {
  const out: string[] = [];
  for (const f of RANGE_FIELDS) {
    const range = filters.ranges?.[f.name as FilterField];
    if (!range) continue;
    out.push(...rangeConditions(f, range, `${t}.${f.name}`, (value) => p.add(value)));
  }
  if (filters.explicit !== undefined) out.push(`${t}.explicit = ${p.add(filters.explicit ? 1 : 0)}`);
  if (filters.genres) {
    out.push(
      `${t}.rowid IN (SELECT track_rowid FROM track_genres WHERE genre = ANY(${p.add(filters.genres)}::text[]))`,
    );
  }
  if (filters.artists) {
    out.push(
      `${t}.rowid IN (SELECT track_rowid FROM track_artist_names WHERE norm = ANY(${p.add(filters.artists)}::text[]))`,
    );
  }
  if (filters.rowids) out.push(`${t}.rowid = ANY(${p.add(filters.rowids)}::bigint[])`);
  return out;
}

/** `WHERE a AND b`, or nothing. */
export function whereSql(conditions: readonly string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
}
