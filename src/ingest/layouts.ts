import { SpotivecError } from "../domain/errors.js";
import { CSV_FEATURE_COLUMNS } from "../domain/fields.js";

/** The CSV layouts spotivec reads, recognized by their header. */
export type LayoutName = "tracks-114k" | "tracks-600k" | "artists-600k";

export interface Layout {
  name: LayoutName;
  description: string;
  required: readonly string[];
}

/** Every track layout carries the feature columns of the field table. */
const FEATURES = CSV_FEATURE_COLUMNS;

export const LAYOUTS: readonly Layout[] = [
  {
    name: "tracks-114k",
    description:
      'Spotify Tracks Dataset (114K, "dataset.csv"): track_id, artists, album_name, track_name, ..., track_genre',
    required: ["track_id", "artists", "album_name", "track_name", ...FEATURES, "track_genre"],
  },
  {
    name: "tracks-600k",
    description: 'Spotify 1921-2020 600K "tracks.csv": id, name, artists, id_artists, release_date, ...',
    required: ["id", "name", "artists", "id_artists", "release_date", ...FEATURES],
  },
  {
    name: "artists-600k",
    description: 'Spotify 1921-2020 600K "artists.csv": id, followers, genres, name, popularity',
    required: ["id", "followers", "genres", "name", "popularity"],
  },
];

/** Column name -> index, for the columns present in a header. */
export type ColumnIndex = ReadonlyMap<string, number>;

export function detectLayout(
  header: readonly string[],
  file: string,
): { layout: Layout; columns: ColumnIndex } {
  const columns = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (key && !columns.has(key)) columns.set(key, i);
  });
  // Most specific first: the artists layout's columns are a near subset of nothing else, tracks layouts differ by id column.
  const layout = LAYOUTS.find((l) => l.required.every((c) => columns.has(c)));
  if (layout) return { layout, columns };
  const shown = header.filter((h) => h.trim() !== "").slice(0, 25);
  throw new SpotivecError("UNKNOWN_LAYOUT", `${file}: not a Spotify CSV layout spotivec knows`, {
    expected: LAYOUTS.map((l) => l.description).join("; "),
    got: `columns ${shown.join(", ")}${header.length > 25 ? ", ..." : ""}`,
    hint: "Pass the 114K dataset.csv, or the 600K tracks.csv / artists.csv, with their original header row.",
  });
}
