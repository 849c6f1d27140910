import { FIELDS, type FieldSpec, type FilterField } from "../../domain/fields.js";
import { rangeConditions } from "../sql-terms.js";
import type { Range, TrackFilters } from "../types.js";
import { SQL_ONLY_FILTERS } from "./track-rows.js";

export interface FilterSql {
  /** Conditions to AND together; empty when nothing is filtered. */
  conditions: string[];
  params: unknown[];
}

/** The range filters: numeric filter fields, in table order. */
const RANGE_FIELDS = FIELDS.filter((f) => f.filter && f.type !== "boolean");

/** The vec0 table's rowid column; the tracks table's is `rowid`. */
const VEC0_ROWID = "track_rowid";

/**
 * SQL conditions for filters, the same for the tracks table and the vec0 table (their columns share names), except
 * for the fields that are no vec0 column (SQL_ONLY_FILTERS): on the vec0 table (rowid column `track_rowid`) those
 * become a rowid subquery on the tracks table. Column names come from the field table only; values are always
 * parameters.
 */
export function filterSql(filters: TrackFilters, rowidColumn: string): FilterSql {
  const direct: FilterSql = { conditions: [], params: [] };
  const viaTracks: FilterSql = { conditions: [], params: [] };
  for (const f of RANGE_FIELDS) {
    const range = filters.ranges?.[f.name as FilterField];
    if (!range) continue;
    const into = rowidColumn === VEC0_ROWID && SQL_ONLY_FILTERS.has(f.name) ? viaTracks : direct;
    rangeSql(f, range, into);
  }
  if (filters.explicit !== undefined) {
    direct.conditions.push("explicit = ?");
    direct.params.push(BigInt(filters.explicit ? 1 : 0));
  }
  const sets = setFilters(filters, viaTracks);
  if (sets.queries.length > 0) {
    direct.conditions.push(`${rowidColumn} IN (${sets.queries.join(" INTERSECT ")})`);
    direct.params.push(...sets.params);
  }
  return direct;
}

function rangeSql(f: FieldSpec, range: Range, out: FilterSql): void {
  // vec0 compares integer columns with BigInt parameters only.
  const bind = (value: number, integer: boolean) => {
    out.params.push(integer ? BigInt(value) : value);
    return "?";
  };
  out.conditions.push(...rangeConditions(f, range, f.name, bind));
}

/** The rowids of tracks with any of the genres of a JSON array parameter (through the genre index). */
export const GENRE_ROWIDS_SQL =
  "SELECT track_rowid FROM track_genres WHERE genre IN (SELECT value FROM json_each(?))";

/**
 * Sets become one rowid list (vec0 takes a single "rowid IN"); an empty list matches nothing, as it should. Ranges
 * on fields the vec0 table lacks join the list as the tracks that satisfy them.
 */
function setFilters(filters: TrackFilters, viaTracks: FilterSql): { queries: string[]; params: unknown[] } {
  const queries: string[] = [];
  const params: unknown[] = [];
  if (viaTracks.conditions.length > 0) {
    queries.push(`SELECT rowid FROM tracks WHERE ${viaTracks.conditions.join(" AND ")}`);
    params.push(...viaTracks.params);
  }
  if (filters.genres) {
    queries.push(GENRE_ROWIDS_SQL);
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
