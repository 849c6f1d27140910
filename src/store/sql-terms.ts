/**
 * SQL pieces both stores build the same way (SQLite and PostgreSQL differ only in a few function names and in
 * placeholders): range filters, the misfit of a feature target, the density grid's bins, profile percentiles. Field names are checked against the
 * field table and numbers formatted here, so the expressions are safe to inline.
 */
import { SpotivecError } from "../domain/errors.js";
import {
  FILTER_FIELDS,
  type FieldSpec,
  type FilterField,
  field,
  PROFILE_FIELDS,
  type ProfileField,
} from "../domain/fields.js";
import { unknownIsZero } from "./sqlite/track-rows.js";
import type { FeatureProfile, FeatureTarget, Range } from "./types.js";

/** The finest grid featureDensity draws. */
export const MAX_DENSITY_BINS = 500;

/** Profiles summarise at most this many tracks. */
const PROFILE_SAMPLE = 20_000;

/** How each dialect spells two-argument max and min, and a cast to a whole number rounding down. */
export interface SqlDialect {
  greatest: "MAX" | "GREATEST";
  least: "MIN" | "LEAST";
  floorToInt: (expr: string) => string;
}

export const SQLITE_DIALECT: SqlDialect = {
  greatest: "MAX",
  least: "MIN",
  floorToInt: (e) => `CAST(${e} AS INTEGER)`,
};

export const POSTGRES_DIALECT: SqlDialect = {
  greatest: "GREATEST",
  least: "LEAST",
  floorToInt: (e) => `floor(${e})::integer`,
};

/**
 * What a range filter asks of a field's column, as conditions to AND: its bounds (whole numbers for an integer field,
 * through `bind`, which returns the placeholder), and for a field whose unknown value is stored as 0 (the year), that
 * it is known: a filter on it never matches unknown values.
 */
export function rangeConditions(
  f: FieldSpec,
  range: Range,
  column: string,
  bind: (value: number, integer: boolean) => string,
): string[] {
  const integer = f.type === "integer";
  const out: string[] = [];
  if (range.min !== undefined)
    out.push(`${column} >= ${bind(integer ? Math.ceil(range.min) : range.min, integer)}`);
  if (range.max !== undefined)
    out.push(`${column} <= ${bind(integer ? Math.floor(range.max) : range.max, integer)}`);
  if (unknownIsZero(f)) out.push(`${column} > 0`);
  return out;
}

/**
 * `weight * distance past the target / scale`, or null for a target the SQL cannot safely carry (a field that is no
 * filter field, a value that is not finite).
 */
export function misfitTerm(t: FeatureTarget, d: SqlDialect): string | null {
  if (!(FILTER_FIELDS as readonly string[]).includes(t.field) || !Number.isFinite(t.value)) return null;
  const v = Number(t.value);
  const diff =
    t.direction === "high"
      ? `${d.greatest}(0, ${v} - ${t.field})`
      : t.direction === "low"
        ? `${d.greatest}(0, ${t.field} - ${v})`
        : `ABS(${t.field} - ${v})`;
  return `${Number(t.weight)} * ${diff} / ${Number(t.scale)}`;
}

function checkDensityBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_DENSITY_BINS) {
    throw new SpotivecError("USAGE", "Invalid number of density bins", {
      expected: `an integer from 1 to ${MAX_DENSITY_BINS}`,
      got: String(bins),
    });
  }
}

/** The bin of a field's value as SQL: its min..max from the field table cut into `bins`, the maximum in the last. */
function binSql(name: FilterField, bins: number, d: SqlDialect): string {
  if (!(FILTER_FIELDS as readonly string[]).includes(name)) {
    throw new SpotivecError("USAGE", `No density over "${name}"`, {
      expected: `one of ${FILTER_FIELDS.join(", ")}`,
      got: String(name),
    });
  }
  const { min, max } = field(name);
  return `${d.least}(${bins - 1}, ${d.floorToInt(`(${name} - ${Number(min)}) * ${bins} / ${Number(max) - Number(min)}.0`)})`;
}

/** `name BETWEEN min AND max` from the field table: the tracks a density grid counts. */
function inFieldRange(name: FilterField): string {
  return `${name} BETWEEN ${field(name).min} AND ${field(name).max}`;
}

/** One pass over the tracks table: every cell of the bins x bins grid counted by one GROUP BY (rows bx, by, n). */
export function densitySql(x: FilterField, y: FilterField, bins: number, d: SqlDialect): string {
  checkDensityBins(bins);
  return `SELECT ${binSql(x, bins, d)} AS bx, ${binSql(y, bins, d)} AS by, count(*) AS n FROM tracks
    WHERE ${inFieldRange(x)} AND ${inFieldRange(y)} GROUP BY 1, 2`;
}

/** The profiled features of a sample of the tracks `fromWhere` (FROM ... WHERE ... [ORDER BY ...]) selects. */
export function profileSql(fromWhere: string): string {
  return `SELECT ${PROFILE_FIELDS.join(", ")} ${fromWhere} LIMIT ${PROFILE_SAMPLE}`;
}

/** The profile of the rows profileSql selected, or null for none. */
export function profileOf(rows: ReadonlyArray<Record<ProfileField, number>>): FeatureProfile | null {
  if (rows.length === 0) return null;
  const percentiles = Object.fromEntries(
    PROFILE_FIELDS.map((name) => [name, percentilesOf(rows.map((r) => r[name]))]),
  );
  return { count: rows.length, percentiles: percentiles as FeatureProfile["percentiles"] };
}

/** The grid from (bx, by, n) rows: [xBin][yBin]. */
export function densityGrid(
  rows: ReadonlyArray<{ bx: number; by: number; n: number }>,
  bins: number,
): number[][] {
  const grid = Array.from({ length: bins }, () => new Array<number>(bins).fill(0));
  for (const r of rows) {
    const column = grid[r.bx];
    if (column && r.by >= 0 && r.by < bins) column[r.by] = r.n;
  }
  return grid;
}

/** Percentiles 10, 25, 50, 75 and 90. */
function percentilesOf(values: number[]): [number, number, number, number, number] {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))] as number;
  return [at(0.1), at(0.25), at(0.5), at(0.75), at(0.9)];
}
