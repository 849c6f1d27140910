import type { Command } from "commander";
import { type CheckedLikes, checkLikesFile, resolveLikesFile } from "../../likes/likes.js";
import { checkPlaylistName, playlistTrack, savePlaylist } from "../../playlists/index.js";
import {
  type PlannedResponse,
  plannedSearch,
  resolveGenres,
  type SearchResult,
  search,
} from "../../search/search.js";
import type { Store, TrackFilters } from "../../store/store.js";
import {
  type CommonOptions,
  loadEmbedder,
  numberOption,
  openDb,
  rangeFiltersFrom,
  withDb,
  withJson,
  withModel,
  withRangeFilters,
} from "../options.js";
import { createUi, type Io, printPlan, printResults, type Ui } from "../ui.js";

interface SearchFlags extends CommonOptions {
  genre?: string[];
  explicit?: boolean;
  limit: number;
  likes?: string;
  profile?: string;
  explain?: boolean;
  plain?: boolean;
  versions?: boolean;
  save?: string;
  [key: string]: unknown;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Likes for personal queries: a --likes file resolved now (streamed), else the imported profile, else none. */
export async function loadLikes(store: Store, checked: CheckedLikes | null, profile: string, ui: Ui) {
  if (checked) {
    const file = checked.source.path;
    const resolved = await resolveLikesFile(store, checked, { progress: ui.progress });
    ui.stopProgress();
    const { matched, ambiguous, unmatched, invalid } = resolved.counts;
    if (!ui.json)
      ui.err(
        `likes from ${file}: ${matched} matched, ${ambiguous} ambiguous, ${unmatched} unmatched${invalid > 0 ? `, ${invalid} invalid` : ""}`,
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
  withRangeFilters(cmd)
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
    .option(
      "--save <name>",
      "save the results as a playlist of this name, with the query, options and plan (replaces one of the same name)",
    );
  withJson(withModel(withDb(cmd)), "print { plan, results } as JSON").action(
    (words: string[], flags: SearchFlags) => runSearch(io, words, flags),
  );
}

type SearchResponse = PlannedResponse | { plan: null; results: SearchResult[] };
/** With --save, the JSON output says what was saved. */
type SearchOutput = SearchResponse & { saved?: { name: string; tracks: number } };

async function runSearch(io: Io, words: string[], flags: SearchFlags): Promise<void> {
  const ui = createUi(io, { json: flags.json === true });
  const likesFile = flags.likes ? await checkLikesFile(flags.likes) : null;
  const ranges = rangeFiltersFrom(flags);
  if (flags.save !== undefined) checkPlaylistName(flags.save);
  const store = openDb(flags, io, flags.save !== undefined ? "update" : "read");
  try {
    const filters: TrackFilters = {
      ranges,
      explicit: flags.explicit,
      genres: flags.genre ? resolveGenres(flags.genre, store.genreLabels()) : undefined,
    };
    const text = words.join(" ").trim();
    const likes = await loadLikes(store, likesFile, flags.profile ?? "default", ui);
    const embedder = text ? await loadEmbedder(store, flags, ui, io.env) : null;
    const response: SearchResponse =
      flags.plain || !embedder
        ? { plan: null, results: await search(store, embedder, { text, filters, limit: flags.limit }) }
        : await plannedSearch(store, embedder, {
            text,
            filters,
            limit: flags.limit,
            versions: flags.versions,
            likes,
          });
    await embedder?.close();
    const saved =
      flags.save !== undefined
        ? saveResults(store, flags.save, response, {
            query: text,
            limit: flags.limit,
            filters,
            versions: flags.versions === true,
            likesFrom: response.plan?.personal ? (likes?.from ?? null) : null,
          })
        : null;
    printSearch(ui, saved ? { ...response, saved } : response, flags.explain === true);
    if (saved && !ui.json) ui.err(`saved playlist ${JSON.stringify(saved.name)} (${saved.tracks} tracks)`);
  } finally {
    store.close();
  }
}

/** The answered tracks saved as a playlist with the search that made them; what was saved, for the output. */
function saveResults(
  store: Store,
  name: string,
  response: SearchResponse,
  source: {
    query: string;
    limit: number;
    filters: TrackFilters;
    versions: boolean;
    likesFrom: string | null;
  },
): { name: string; tracks: number } {
  const tracks = response.results.flatMap((r) => {
    const t = store.trackById(r.id);
    return t ? [playlistTrack(t)] : [];
  });
  const playlist = savePlaylist(store, name, { ...source, plan: response.plan, picked: false }, tracks);
  return { name: playlist.name, tracks: playlist.tracks.length };
}

function printSearch(ui: Ui, response: SearchOutput, explain: boolean): void {
  if (ui.json) {
    ui.printJson(response);
    return;
  }
  if (response.plan && (explain || response.plan.notes.length > 0)) printPlan(ui, response.plan, explain);
  printResults(ui, response.results);
}
