/**
 * The one table of track fields. Every list of features elsewhere (the SQL schema, row mapping, vec0 metadata,
 * CSV validation, filters, CLI flags, HTTP parameters, JSON output, ranking scales) is derived from it.
 *
 * Names: `name` is the snake_case name used by the CSV files, the SQL columns, the JSON output and query plans
 * ("duration_ms"); `prop` is the camelCase property of a Track ("durationMs").
 */
import { PITCH_NAMES, parseKeyName, parseModeName } from "./pitch.js";

export { PITCH_NAMES } from "./pitch.js";

export type FieldType = "integer" | "real" | "boolean";

export interface FieldSpec<N extends string = string> {
  name: N;
  /** The Track property holding the value ("year" is null when unknown; it is stored as 0). */
  prop: string;
  type: FieldType;
  /** Valid values: ingest rejects a CSV value outside them; CLI flags and HTTP parameters accept these. */
  min: number;
  max: number;
  /** Read from a column of the same name in the track CSVs (year comes from release_date instead). */
  fromCsv: boolean;
  /** A CSV value with a fraction is rejected (codes like key and mode); other integers are rounded when stored. */
  wholeInCsv?: boolean;
  /** A filter column: in SQL WHERE clauses and as vec0 metadata, so filters run inside the KNN. */
  filter: boolean;
  /** Offered to users as --<flag>-min/-max and <name>_min/_max (the booleans have flags of their own). */
  flag?: { flag: string; help: string };
  /**
   * Offered as one value, --<flag> <value> and <name>=<value> ("--key F#", "--mode minor", "--time-signature 3/4"):
   * codes, not ranges. Kept apart from `flag`, which also decides the Vectorize export's metadata indexes.
   */
  choice?: { flag: string; help: string; parse: (text: string) => number | null };
  /** A b-tree index on the column: the fit channel and filter-only listings scan only the tracks in range. */
  indexed?: boolean;
  /** Summarised by percentiles in feature profiles ("what hardstyle sounds like"). */
  profiled?: boolean;
  /** How far outside a range still earns some fit when ranking (one unit of misfit). */
  scale: number;
  /** How a value reads in labels and explanations. */
  format?: (v: number) => string;
}

const unit = (v: number) => String(Math.round(v * 1000) / 1000);

/** One of Spotify's audio features measured from 0 to 1 (danceability, energy, ...): a CSV column, a filter. */
function share<const N extends string, const X extends Partial<FieldSpec> = Record<never, never>>(
  name: N,
  more?: X,
) {
  const base = {
    name,
    prop: name,
    type: "real",
    min: 0,
    max: 1,
    fromCsv: true,
    filter: true,
    scale: 0.25,
  } as const;
  return { ...base, ...(more as X) };
}

/** "3" or "3/4" -> 3 beats per bar (3..7, what the dataset estimates). */
function parseBeatsPerBar(text: string): number | null {
  const m = /^([3-7])(\/4)?$/.exec(text.trim());
  return m ? Number(m[1]) : null;
}

/** In the order the CSV files list them, year last. */
export const FIELDS = [
  {
    name: "popularity",
    prop: "popularity",
    type: "integer",
    min: 0,
    max: 100,
    fromCsv: true,
    filter: true,
    flag: { flag: "popularity", help: "0..100" },
    scale: 25,
  },
  {
    name: "duration_ms",
    prop: "durationMs",
    type: "integer",
    min: 0,
    max: 6 * 60 * 60 * 1000,
    fromCsv: true,
    filter: true,
    indexed: true,
    profiled: true,
    scale: 90_000,
    format: (v: number) => `${Math.round(v / 1000)} s`,
  },
  {
    name: "explicit",
    prop: "explicit",
    type: "boolean",
    min: 0,
    max: 1,
    fromCsv: true,
    filter: true,
    scale: 1,
  },
  share("danceability", { flag: { flag: "danceability", help: "0..1" }, indexed: true, profiled: true }),
  share("energy", { flag: { flag: "energy", help: "0..1" }, indexed: true, profiled: true }),
  {
    name: "key",
    prop: "key",
    type: "integer",
    min: -1,
    max: 11,
    fromCsv: true,
    wholeInCsv: true,
    // Filtered in SQL but not a vec0 column (existing databases' vec0 tables lack it): see SQL_ONLY_FILTERS.
    filter: true,
    scale: 1,
    choice: { flag: "key", help: "tonic: C, F#, Bb, ... or pitch class 0..11", parse: parseKeyName },
    // Pitch class, C = 0; -1 is "no key detected".
    format: (v: number) => PITCH_NAMES[v] ?? "unknown",
  },
  {
    name: "loudness",
    prop: "loudness",
    type: "real",
    min: -70,
    max: 10,
    fromCsv: true,
    filter: true,
    profiled: true,
    scale: 6,
    format: (v: number) => `${v} dB`,
  },
  {
    name: "mode",
    prop: "mode",
    type: "integer",
    min: 0,
    max: 1,
    fromCsv: true,
    wholeInCsv: true,
    filter: true,
    choice: { flag: "mode", help: "major or minor (1 or 0)", parse: parseModeName },
    scale: 1,
  },
  share("speechiness"),
  share("acousticness", { flag: { flag: "acousticness", help: "0..1" }, indexed: true, profiled: true }),
  share("instrumentalness", { flag: { flag: "instrumentalness", help: "0..1" }, indexed: true }),
  share("liveness"),
  share("valence", { flag: { flag: "valence", help: "0..1, sad to happy" }, indexed: true, profiled: true }),
  {
    name: "tempo",
    prop: "tempo",
    type: "real",
    min: 0,
    max: 300,
    fromCsv: true,
    filter: true,
    flag: { flag: "tempo", help: "BPM" },
    indexed: true,
    profiled: true,
    scale: 30,
    format: (v: number) => `${Math.round(v)} BPM`,
  },
  {
    name: "time_signature",
    prop: "timeSignature",
    type: "integer",
    min: 0,
    max: 7,
    fromCsv: true,
    wholeInCsv: true,
    // Filtered in SQL but not a vec0 column (existing databases' vec0 tables lack it): see SQL_ONLY_FILTERS.
    filter: true,
    choice: { flag: "time-signature", help: "beats per bar: 3..7 or 3/4, 5/4, ...", parse: parseBeatsPerBar },
    scale: 1,
    // Beats per bar as the dataset estimates them: 3 is "3/4".
    format: (v: number) => `${v}/4`,
  },
  {
    name: "year",
    prop: "year",
    type: "integer",
    min: 1900,
    max: 2100,
    fromCsv: false,
    filter: true,
    flag: { flag: "year", help: "release year" },
    scale: 10,
    format: (v: number) => String(v),
  },
] as const satisfies readonly FieldSpec[];

type Spec = (typeof FIELDS)[number];
export type FieldName = Spec["name"];

/** The audio features every track row carries, typed from the table: { popularity: number, explicit: boolean, ... }. */
export type AudioFeatures = {
  [S in Extract<Spec, { fromCsv: true }> as S["prop"]]: S["type"] extends "boolean" ? boolean : number;
};

/** Numeric fields a range can filter on (explicit is a boolean filter of its own). */
export type FilterField = Exclude<Extract<(typeof FIELDS)[number], { filter: true }>["name"], "explicit">;

/** Fields summarised in feature profiles. */
export type ProfileField = Extract<(typeof FIELDS)[number], { profiled: true }>["name"];

const BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.name, f as FieldSpec]));

export function field(name: FieldName): FieldSpec {
  return BY_NAME.get(name) as FieldSpec;
}

export function isFieldName(name: string): name is FieldName {
  return BY_NAME.has(name);
}

/** The numeric range filters, in table order. */
export const FILTER_FIELDS = FIELDS.filter((f) => f.filter && f.type !== "boolean").map(
  (f) => f.name,
) as readonly FilterField[];

export const PROFILE_FIELDS = FIELDS.filter((f) => "profiled" in f && f.profiled).map(
  (f) => f.name,
) as readonly ProfileField[];

/** The columns every track layout carries, in CSV order. */
export const CSV_FEATURE_COLUMNS = FIELDS.filter((f) => f.fromCsv).map((f) => f.name);

/** The numeric features read from CSV columns, validated against the table's ranges. */
export const CSV_NUMERIC_FIELDS: readonly FieldSpec[] = FIELDS.filter(
  (f) => f.fromCsv && f.type !== "boolean",
);

/** The fields offered as range flags and parameters. */
export const RANGE_FLAGS: ReadonlyArray<FieldSpec<FilterField> & { flag: { flag: string; help: string } }> =
  FIELDS.filter((f) => "flag" in f) as never;

/** The fields offered as one-value options (key, mode, time signature). */
export const CHOICE_FLAGS: ReadonlyArray<
  FieldSpec<FilterField> & { choice: NonNullable<FieldSpec["choice"]> }
> = FIELDS.filter((f) => "choice" in f) as never;

/** The numeric (or boolean, as 0/1) value of a field on a track; unknown years are 0, as stored. */
export function fieldValue(track: AudioFeatures & { year: number | null }, name: FieldName): number {
  const v = (track as unknown as Record<string, number | boolean | null>)[field(name).prop];
  if (typeof v === "boolean") return v ? 1 : 0;
  return v ?? 0;
}

/** A value as labels and explanations show it: "128 BPM", "180 s", "-6 dB", "0.7". */
export function formatValue(name: FieldName, v: number): string {
  return (field(name).format ?? unit)(v);
}

/** The distance that counts as one unit of misfit when ranking. */
export function fieldScale(name: FieldName): number {
  return field(name).scale;
}

/** A track's features keyed by their snake_case names, for JSON output. */
export function featuresJson(track: AudioFeatures): FeaturesJson {
  const out: Record<string, number | boolean> = {};
  for (const f of FIELDS) if (f.name !== "year") out[f.name] = track[f.prop as keyof AudioFeatures];
  return out as FeaturesJson;
}

/** Every feature but year (a field of its own in results), by snake_case name: { explicit: boolean, ... }. */
export type FeaturesJson = {
  [S in Exclude<Spec, { name: "year" }> as S["name"]]: S["type"] extends "boolean" ? boolean : number;
};

export interface RangeBounds {
  min?: number;
  max?: number;
}

/**
 * The range filters a set of option values names, however the caller keys them (CLI flags, HTTP parameters): each
 * range flag's minimum and maximum, and each one-value option as a range of that one value. A minimum above its
 * maximum could match nothing: the caller's error for it is thrown.
 */
export function filterRanges(
  rangeValue: (f: (typeof RANGE_FLAGS)[number], end: "min" | "max") => number | undefined,
  choiceValue: (f: (typeof CHOICE_FLAGS)[number]) => number | undefined,
  invertedError: (inverted: InvertedRange) => Error,
): Partial<Record<FilterField, RangeBounds>> {
  const ranges: Partial<Record<FilterField, RangeBounds>> = {};
  for (const f of RANGE_FLAGS) {
    const [min, max] = [rangeValue(f, "min"), rangeValue(f, "max")];
    if (min !== undefined || max !== undefined) ranges[f.name] = { min, max };
  }
  for (const f of CHOICE_FLAGS) {
    const value = choiceValue(f);
    if (value !== undefined) ranges[f.name] = { min: value, max: value };
  }
  const inverted = invertedRange(ranges);
  if (inverted) throw invertedError(inverted);
  return ranges;
}

export interface InvertedRange {
  field: FilterField;
  min: number;
  max: number;
}

/** The first range whose minimum is above its maximum (it could match nothing), or null. */
export function invertedRange(ranges: Partial<Record<FilterField, RangeBounds>>): InvertedRange | null {
  for (const name of FILTER_FIELDS) {
    const r = ranges[name];
    if (r?.min !== undefined && r.max !== undefined && r.min > r.max)
      return { field: name, min: r.min, max: r.max };
  }
  return null;
}
