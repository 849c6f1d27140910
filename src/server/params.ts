/** The HTTP API's parameters, validated by zod and documented in OpenAPI; the range parameters come from the field table. */
import { z } from "@hono/zod-openapi";
import { type FilterField, RANGE_FLAGS } from "../domain/fields.js";
import { resolveGenres } from "../search/search.js";
import type { Range, TrackFilters } from "../store/store.js";

const bounded = (min: number, max: number, int: boolean) =>
  z.coerce
    .number()
    .refine((n) => Number.isFinite(n) && (!int || Number.isInteger(n)), {
      message: `expected ${int ? "an integer" : "a number"}`,
    })
    .pipe(z.number().min(min).max(max))
    .optional()
    .openapi({ type: int ? "integer" : "number", minimum: min, maximum: max });

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const rangeParam = (name: string, end: "min" | "max") => `${name}_${end}`;

/** `<name>_min` and `<name>_max` for every range flag of the field table. */
const rangeParams = Object.fromEntries(
  RANGE_FLAGS.flatMap((f) =>
    (["min", "max"] as const).map((end) => [
      rangeParam(f.name, end),
      bounded(f.min, f.max, f.type === "integer"),
    ]),
  ),
);

export const SearchQuery = z
  .object({
    q: z
      .string()
      .max(500)
      .optional()
      .default("")
      .openapi({ description: "what you are looking for, in plain English" }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .default(10)
      .openapi({ type: "integer", minimum: 1, maximum: 100 }),
    genre: list.openapi({ description: "genre labels, repeatable (any of them)" }),
    explicit: z
      .enum(["true", "false"])
      .optional()
      .openapi({ description: "only explicit (true) or only clean (false)" }),
    drop: list.openapi({ description: "ids of plan constraints to leave out (labels work too), repeatable" }),
    ...rangeParams,
  })
  .strict();

export type SearchQueryValues = z.infer<typeof SearchQuery> & Record<string, number | undefined>;

export const LimitQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(100).optional().default(10) })
  .strict();

export const IdParam = z.object({
  id: z.string().regex(/^[0-9A-Za-z]{22}$/, "a 22-character Spotify track id"),
});

/** The range filters among validated query parameters. */
export function rangesFromQuery(q: Record<string, unknown>): Partial<Record<FilterField, Range>> {
  const ranges: Partial<Record<FilterField, Range>> = {};
  for (const f of RANGE_FLAGS) {
    const min = q[rangeParam(f.name, "min")] as number | undefined;
    const max = q[rangeParam(f.name, "max")] as number | undefined;
    if (min !== undefined || max !== undefined) ranges[f.name] = { min, max };
  }
  return ranges;
}

/** Search filters from validated query parameters; genre words resolve against the catalog's labels. */
export function filtersFromQuery(q: SearchQueryValues, genreLabels: () => string[]): TrackFilters {
  return {
    ranges: rangesFromQuery(q),
    genres: q.genre.length > 0 ? resolveGenres(q.genre, genreLabels()) : undefined,
    explicit: q.explicit === undefined ? undefined : q.explicit === "true",
  };
}
