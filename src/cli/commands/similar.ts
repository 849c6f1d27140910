import type { Command } from "commander";
import { SpotivecError } from "../../domain/errors.js";
import { parseLikes, resolveLike } from "../../likes/likes.js";
import { similarSearch } from "../../search/search.js";
import type { Store, StoredTrack } from "../../store/store.js";
import {
  type CommonOptions,
  loadEmbedder,
  numberOption,
  openDb,
  withDb,
  withJson,
  withModel,
} from "../options.js";
import { createUi, type Io, printResults } from "../ui.js";

interface SimilarFlags extends CommonOptions {
  limit: number;
  versions?: boolean;
}

/** A track named by id, spotify:track: URI, open.spotify.com URL or "Artist - Title". */
export function findTrack(store: Store, text: string): StoredTrack {
  const [entry] = parseLikes(text, "track", "lines");
  const resolution = entry ? resolveLike(store, entry) : null;
  const track = resolution?.status === "matched" ? resolution.tracks[0] : undefined;
  if (track) return track;
  throw new SpotivecError("USAGE", `No single track matches "${text}"`, {
    expected: 'a track id, spotify:track: URI, open.spotify.com URL or "Artist - Title" of a catalog track',
    got: resolution?.reason ?? "nothing",
    hint: 'Check the spelling, or use the id from `spotivec search "..." --json`.',
  });
}

export function registerSimilar(program: Command, io: Io): void {
  const cmd = program
    .command("similar")
    .description("tracks like a given one: same genres and mood, nearest in sound and description")
    .argument("<track>", 'an id, spotify:track: URI, open.spotify.com URL or "Artist - Title"')
    .option("--limit <n>", "number of results", numberOption("--limit", 1, 1000, true), 10)
    .option("--versions", "show every version of a song instead of the best one");
  withJson(withModel(withDb(cmd)), "print { track, plan, results } as JSON").action(
    async (text: string, flags: SimilarFlags) => {
      const ui = createUi(io, { json: flags.json === true });
      const store = openDb(flags, io, "read");
      try {
        const track = findTrack(store, text);
        const embedder = await loadEmbedder(store, flags, ui, io.env);
        const response = await similarSearch(store, embedder, track, {
          filters: {},
          limit: flags.limit,
          versions: flags.versions,
        });
        await embedder.close();
        if (ui.json) {
          ui.printJson({
            track: { id: track.id, name: track.name, artists: track.artists, genres: track.allGenres },
            ...response,
          });
          return;
        }
        ui.out(
          ui.color.bold(`Like ${track.artists.join(", ")} - ${track.name} (${track.allGenres.join(", ")}):`),
        );
        for (const note of response.plan.notes) ui.out(ui.color.yellow(`  note: ${note}`));
        printResults(ui, response.results);
      } finally {
        store.close();
      }
    },
  );
}
