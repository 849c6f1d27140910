/** Which tracks a run tags: `--genre`, `--where "popularity>=50 and energy<0.3"` and `--limit`, most popular first. */
import { SpotivecError } from "../../domain/errors.js";
import { FILTER_FIELDS, type FilterField, field, invertedRange } from "../../domain/fields.js";
import type { CatalogReader, Range, StoredTrack, TrackFilters } from "../../store/types.js";

export interface TagScope {
  genres?: string[];
  ranges?: Partial<Record<FilterField, Range>>;
  limit?: number;
}

const CLAUSE = /^([a-z_]+)\s*(>=|<=|=|>|<)\s*(-?\d+(?:\.\d+)?)$/;

function badWhere(got: string): SpotivecError {
  return new SpotivecError("USAGE", "--where is not a list of feature comparisons", {
    expected: `clauses like "popularity>=50 and energy<0.3" on ${FILTER_FIELDS.join(", ")}`,
    got,
    hint: 'Join clauses with "and"; compare with >=, <=, >, < or =.',
  });
}

/**
 * The ranges a --where text asks for. Bounds are inclusive: ">" and "<" on whole-number fields move by one, on
 * others they read as ">=" and "<=" (the features are estimates; the edge does not matter).
 */
export function parseWhere(text: string): Partial<Record<FilterField, Range>> {
  const ranges: Partial<Record<FilterField, Range>> = {};
  for (const raw of text.split(/\s+and\s+|,/i)) {
    const clause = raw.trim().toLowerCase();
    if (clause === "") continue;
    const m = CLAUSE.exec(clause);
    const name = m?.[1] ?? "";
    if (!m || !(FILTER_FIELDS as readonly string[]).includes(name)) throw badWhere(raw.trim());
    const f = field(name as FilterField);
    const op = m[2] as string;
    let v = Number(m[3]);
    const whole = f.type === "integer";
    if (op === ">" && whole) v += 1;
    if (op === "<" && whole) v -= 1;
    const r = ranges[name as FilterField] ?? {};
    ranges[name as FilterField] = r;
    if (op.startsWith(">") || op === "=") r.min = Math.max(r.min ?? v, v);
    if (op.startsWith("<") || op === "=") r.max = Math.min(r.max ?? v, v);
  }
  const inverted = invertedRange(ranges);
  if (inverted)
    throw badWhere(`${inverted.field} above ${inverted.min} and below ${inverted.max}: nothing matches`);
  return ranges;
}

/** The tracks in scope, most popular first. */
export function selectTracks(
  catalog: Pick<CatalogReader, "filterOnly" | "countMatching" | "getTracks">,
  scope: TagScope,
): StoredTrack[] {
  const filters: TrackFilters = {
    ...(scope.ranges ? { ranges: scope.ranges } : {}),
    ...(scope.genres && scope.genres.length > 0 ? { genres: scope.genres } : {}),
  };
  const k = scope.limit ?? catalog.countMatching(filters);
  const rowids = catalog.filterOnly(k, filters);
  const out: StoredTrack[] = [];
  for (let i = 0; i < rowids.length; i += 2000) out.push(...catalog.getTracks(rowids.slice(i, i + 2000)));
  return out;
}
