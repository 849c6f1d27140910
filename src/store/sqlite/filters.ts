import { FIELDS, type FilterField } from "../../domain/fields.js";
import type { TrackFilters } from "../types.js";
import { unknownIsZero } from "./track-rows.js";

export interface FilterSql {
  /** Conditions to AND together; empty when nothing is filtered. */
  conditions: string[];
  params: unknown[];
}

/** The range filters: numeric filter fields, in table order. */
const RANGE_FIELDS = FIELDS.filter((f) => f.filter && f.type !== "boolean");

/**
 * SQL conditions for filters, the same for the tracks table and the vec0 table (their columns share names).
 * Column names come from the field table only; values are always parameters.
 */
export function filterSql(filters: TrackFilters, rowidColumn: string): FilterSql {
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const f of RANGE_FIELDS) {
    const range = filters.ranges?.[f.name as FilterField];
    if (!range) continue;
    // vec0 compares integer columns with BigInt parameters only.
    const integer = f.type === "integer";
    if (range.min !== undefined) {
      conditions.push(`${f.name} >= ?`);
      params.push(integer ? BigInt(Math.ceil(range.min)) : range.min);
    }
    if (range.max !== undefined) {
      conditions.push(`${f.name} <= ?`);
      params.push(integer ? BigInt(Math.floor(range.max)) : range.max);
    }
    // Unknown values are stored as 0; a filter on the field never matches them.
    if (unknownIsZero(f)) conditions.push(`${f.name} > 0`);
  }
  if (filters.explicit !== undefined) {
    conditions.push("explicit = ?");
    params.push(BigInt(filters.explicit ? 1 : 0));
  }
  const sets = setFilters(filters);
  if (sets.queries.length > 0) {
    conditions.push(`${rowidColumn} IN (${sets.queries.join(" INTERSECT ")})`);
    params.push(...sets.params);
  }
  return { conditions, params };
}

/** Sets become one rowid list (vec0 takes a single "rowid IN"); an empty list matches nothing, as it should. */
function setFilters(filters: TrackFilters): { queries: string[]; params: string[] } {
  const queries: string[] = [];
  const params: string[] = [];
  if (filters.genres) {
    queries.push("SELECT track_rowid FROM track_genres WHERE genre IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(filters.genres));
  }
  if (filters.artists) {
    queries.push("SELECT track_rowid FROM track_artist_names WHERE norm IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(filters.artists));
  }
  if (filters.rowids) {
    queries.push("SELECT value FROM json_each(?)");
    params.push(JSON.stringify(filters.rowids));
  }
  return { queries, params };
}

/** `WHERE a AND b`, or nothing. */
export function whereClause(f: FilterSql): string {
  return f.conditions.length > 0 ? `WHERE ${f.conditions.join(" AND ")}` : "";
}
