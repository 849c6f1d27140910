import type { Command } from "commander";
import type { LikeEntry } from "../../likes/likes.js";
import { readLikesFile, resolveLikes } from "../../likes/likes.js";
import { type PlannedResponse, plannedSearch, resolveGenres, search } from "../../search/search.js";
import type { FilterField, Range, Store, TrackFilters } from "../../store/store.js";
import { type CommonOptions, loadEmbedder, numberOption, openDb } from "../options.js";
import { createUi, type Io, printPlan, printResults, type Ui } from "../ui.js";

/** Range flags: --<flag>-min / --<flag>-max, each pushed down as a filter on <field>. */
const RANGE_FLAGS: ReadonlyArray<{
  flag: string;
  field: FilterField;
  key: string;
  min: number;
  max: number;
  integer?: boolean;
  what: string;
}> = [
  { flag: "tempo", key: "tempo", field: "tempo", min: 0, max: 300, what: "BPM" },
  { flag: "energy", key: "energy", field: "energy", min: 0, max: 1, what: "0..1" },
  { flag: "valence", key: "valence", field: "valence", min: 0, max: 1, what: "0..1, sad to happy" },
  { flag: "danceability", key: "danceability", field: "danceability", min: 0, max: 1, what: "0..1" },
  { flag: "acousticness", key: "acousticness", field: "acousticness", min: 0, max: 1, what: "0..1" },
  {
    flag: "instrumentalness",
    key: "instrumentalness",
    field: "instrumentalness",
    min: 0,
    max: 1,
    what: "0..1",
  },
  {
    flag: "popularity",
    key: "popularity",
    field: "popularity",
    min: 0,
    max: 100,
    integer: true,
    what: "0..100",
  },
  { flag: "year", key: "year", field: "year", min: 1900, max: 2100, integer: true, what: "release year" },
];

interface SearchFlags extends CommonOptions {
  genre?: string[];
  explicit?: boolean;
  limit: number;
  likes?: string;
  profile?: string;
  explain?: boolean;
  plain?: boolean;
  versions?: boolean;
  [key: string]: unknown;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Likes for personal queries: a --likes file resolved now, else the imported profile, else none. */
function loadLikes(
  store: Store,
  entries: LikeEntry[] | null,
  file: string | undefined,
  profile: string,
  ui: Ui,
) {
  if (entries && file) {
    const resolved = resolveLikes(store, entries);
    const count = (s: string) => resolved.resolutions.filter((r) => r.status === s).length;
    if (!ui.json)
      ui.err(
        `likes from ${file}: ${count("matched")} matched, ${count("ambiguous")} ambiguous, ${count("unmatched")} unmatched`,
      );
    return { tracks: store.getTracks(resolved.rowids), from: file };
  }
  const saved = store.likes(profile);
  return saved.length > 0 ? { tracks: store.getTracks(saved), from: `profile ${profile}` } : null;
}

export function registerSearch(program: Command, io: Io): void {
  const cmd = program
    .command("search")
    .description("find tracks by plain-English text, feature filters, or both")
    .argument("[text...]", 'what you are looking for, e.g. "dark techno with high energy"');
  for (const r of RANGE_FLAGS) {
    cmd.option(
      `--${r.flag}-min <n>`,
      `lowest ${r.flag} (${r.what})`,
      numberOption(`--${r.flag}-min`, r.min, r.max, r.integer),
    );
    cmd.option(
      `--${r.flag}-max <n>`,
      `highest ${r.flag} (${r.what})`,
      numberOption(`--${r.flag}-max`, r.min, r.max, r.integer),
    );
  }
  cmd
    .option("--genre <name>", "only these genres (repeatable; any of them)", collect)
    .option("--explicit", "only tracks with explicit lyrics")
    .option("--no-explicit", "only clean tracks")
    .option("--limit <n>", "number of results", numberOption("--limit", 1, 1000, true), 10)
    .option(
      "--explain",
      "show how the query was understood: each constraint, hard or soft, and where it came from",
    )
    .option("--plain", "pure vector search over descriptions, without the query plan (for comparison)")
    .option("--versions", "show every version of a song (remasters, live takes) instead of the best one")
    .option(
      "--likes <file>",
      "liked songs for personal queries: lines (Artist - Title, ids, URIs, URLs), a playlist CSV, YourLibrary.json or Markdown",
    )
    .option("--profile <name>", "use the likes imported under this profile (default: default)")
    .option("--db <path>", "database file (default: $SPOTIVEC_DB or ~/.local/share/spotivec/spotivec.db)")
    .option("--model <id>", "embedding model; must be the one that built the database")
    .option("--offline", "never download the model")
    .option("--json", "print { plan, results } as JSON")
    .action(async (words: string[], flags: SearchFlags) => {
      const ui = createUi(io, { json: flags.json === true });
      const likeEntries = flags.likes ? readLikesFile(flags.likes) : null;
      const ranges: Partial<Record<FilterField, Range>> = {};
      for (const r of RANGE_FLAGS) {
        const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        const min = flags[camel(`${r.flag}-min`)] as number | undefined;
        const max = flags[camel(`${r.flag}-max`)] as number | undefined;
        if (min !== undefined || max !== undefined) ranges[r.field] = { min, max };
      }
      const store = openDb(flags, io);
      try {
        const filters: TrackFilters = {
          ranges,
          explicit: flags.explicit,
          genres: flags.genre ? resolveGenres(flags.genre, store.genreLabels()) : undefined,
        };
        const text = words.join(" ").trim();
        const likes = loadLikes(store, likeEntries, flags.likes, flags.profile ?? "default", ui);
        const embedder = text ? await loadEmbedder(store, flags, ui) : null;
        let response: PlannedResponse | { plan: null; results: Awaited<ReturnType<typeof search>> };
        if (flags.plain || !embedder) {
          response = {
            plan: null,
            results: await search(store, embedder, { text, filters, limit: flags.limit }),
          };
        } else {
          response = await plannedSearch(store, embedder, {
            text,
            filters,
            limit: flags.limit,
            versions: flags.versions,
            likes,
          });
        }
        await embedder?.close();
        if (ui.json) ui.printJson(response);
        else {
          if (response.plan && (flags.explain || response.plan.notes.length > 0))
            printPlan(ui, response.plan, flags.explain === true);
          printResults(ui, response.results);
        }
      } finally {
        store.close();
      }
    });
}
