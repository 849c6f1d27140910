/** The HTTP API's parameters, validated by zod and documented in OpenAPI; the range parameters come from the field table. */
import { z } from "@hono/zod-openapi";
import { SpotivecError } from "../domain/errors.js";
import {
  CHOICE_FLAGS,
  type FilterField,
  filterRanges,
  type InvertedRange,
  RANGE_FLAGS,
} from "../domain/fields.js";
import { resolveGenres } from "../search/search.js";
import type { Range, TrackFilters } from "../store/store.js";

/** A plain decimal number as written in a URL: no hex, no exponent, no empty value ("" is not 0). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A number parameter in [min, max]; the message says what is accepted, so the error can name the fix. */
const decimal = (min: number, max: number, int: boolean) => {
  const expected = `${int ? "an integer" : "a decimal number"} from ${min} to ${max}`;
  const value = z.number().min(min, expected).max(max, expected);
  return z
    .string(expected)
    .regex(DECIMAL, expected)
    .transform(Number)
    .pipe(int ? value.int(expected) : value);
};

const bounded = (min: number, max: number, int: boolean) =>
  decimal(min, max, int)
    .optional()
    .openapi({ type: int ? "integer" : "number", minimum: min, maximum: max });

const limitParam = () =>
  decimal(1, 100, true).optional().default(10).openapi({ type: "integer", minimum: 1, maximum: 100 });

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

/** `key`, `mode` and `time_signature`: one value each, parsed as the CLI's --key, --mode, --time-signature. */
const choiceParams = Object.fromEntries(
  CHOICE_FLAGS.map((f) => [
    f.name,
    z
      .string(`expected ${f.choice.help}`)
      .transform((text, ctx) => {
        const n = f.choice.parse(text);
        if (n === null) ctx.addIssue({ code: "custom", message: `expected ${f.choice.help}` });
        return n ?? 0;
      })
      .optional()
      .openapi({ type: "string", description: `only this ${f.name.replace("_", " ")}: ${f.choice.help}` }),
  ]),
);

export const SearchQuery = z
  .object({
    q: z
      .string("expected text of at most 500 characters")
      .max(500, "expected text of at most 500 characters")
      .optional()
      .default("")
      .openapi({ description: "what you are looking for, in plain English" }),
    limit: limitParam(),
    genre: list.openapi({ description: "genre labels, repeatable (any of them)" }),
    explicit: z
      .enum(["true", "false"], "expected true or false")
      .optional()
      .openapi({ description: "only explicit (true) or only clean (false)" }),
    drop: list.openapi({ description: "ids of plan constraints to leave out (labels work too), repeatable" }),
    ...rangeParams,
    ...choiceParams,
  })
  .strict();

export type SearchQueryValues = z.infer<typeof SearchQuery> & Record<string, number | undefined>;

export const LimitQuery = z.object({ limit: limitParam() }).strict();

/** Routes without query parameters still refuse unknown ones. */
export const NoQuery = z.object({}).strict();

export const IdParam = z.object({
  id: z.string().regex(/^[0-9A-Za-z]{22}$/, "a 22-character Spotify track id"),
});

/** The range filters among validated query parameters; a minimum above its maximum is BAD_REQUEST. */
export function rangesFromQuery(q: Record<string, unknown>): Partial<Record<FilterField, Range>> {
  return filterRanges(
    (f, end) => q[rangeParam(f.name, end)] as number | undefined,
    (f) => q[f.name] as number | undefined,
    invertedRangeError,
  );
}

/** Search filters from validated query parameters; genre words resolve against the catalog's labels. */
export function filtersFromQuery(q: SearchQueryValues, genreLabels: () => string[]): TrackFilters {
  return {
    ranges: rangesFromQuery(q),
    genres: q.genre.length > 0 ? resolveGenres(q.genre, genreLabels()) : undefined,
    explicit: q.explicit === undefined ? undefined : q.explicit === "true",
  };
}

/** A range whose minimum is over its maximum matches nothing: a 400 naming both parameters. */
function invertedRangeError({ field, min, max }: InvertedRange): SpotivecError {
  const lo = rangeParam(field, "min");
  const hi = rangeParam(field, "max");
  return new SpotivecError("BAD_REQUEST", `${lo} is greater than ${hi}`, {
    expected: `${lo} <= ${hi}`,
    got: `${lo}=${min}, ${hi}=${max}`,
    hint: `Swap ${lo} and ${hi}, or set ${lo} to at most ${max}.`,
  });
}

/** `GET /api/map`: how many cells per axis of the density grid. */
export const MapQuery = z
  .object({
    bins: decimal(4, 100, true)
      .optional()
      .default(40)
      .openapi({ type: "integer", minimum: 4, maximum: 100, description: "cells per axis" }),
  })
  .strict();

/** What a playlist name may be: a line of 1 to 100 characters, no control characters, not only spaces. */
const NAME = "a name of 1 to 100 characters without control characters";
const playlistName = () =>
  z
    .string(`expected ${NAME}`)
    .min(1, `expected ${NAME}`)
    .max(100, `expected ${NAME}`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
    .regex(/^[^\u0000-\u001f\u007f]*$/, `expected ${NAME}`)
    .refine((s) => s.trim() !== "", `expected ${NAME}`);

export const PlaylistParam = z.object({
  name: playlistName().openapi({ param: { name: "name", in: "path" }, description: "the playlist's name" }),
});

export const ExportQuery = z
  .object({
    format: z
      .enum(["m3u8", "xspf", "csv", "json"], "expected m3u8, xspf, csv or json")
      .optional()
      .default("m3u8")
      .openapi({ description: "file format (default m3u8)" }),
  })
  .strict();

const TRACK_ID = /^[0-9A-Za-z]{22}$/;

/** `POST /api/playlists`: a playlist picked by hand from catalog tracks, in this order. */
export const PlaylistBody = z
  .object({
    name: playlistName(),
    ids: z
      .array(
        z.string().regex(TRACK_ID, "expected a 22-character Spotify track id"),
        "expected a list of track ids",
      )
      .min(1, "expected at least one track id")
      .max(1000, "expected at most 1000 track ids"),
    query: z
      .string("expected text of at most 500 characters")
      .max(500, "expected text of at most 500 characters")
      .optional()
      .openapi({ description: "the search the tracks were picked from" }),
  })
  .strict()
  .openapi("PickedPlaylist");

export type PlaylistBodyValues = z.infer<typeof PlaylistBody>;

/** `POST /api/playlists/{name}/push`: which service, with the server's own configuration (no secrets in the body). */
export const PushBody = z
  .object({
    service: z
      .enum(["spotify", "subsonic"], "expected spotify or subsonic")
      .openapi({ description: "where to push: the server's Spotify tokens or its Subsonic server" }),
  })
  .strict()
  .openapi("PushRequest");
