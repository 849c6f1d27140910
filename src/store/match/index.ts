/** Names (artist and title) matched to catalog tracks, for likes and enrichment. */

export { similarity } from "../../domain/text.js";
export {
  CatalogIndex,
  type MatchCatalog,
  type MatchTrack,
  namesOf,
  storeCatalog,
  type TrackNames,
} from "./catalog.js";
export {
  FUZZY_THRESHOLD,
  type MatchOptions,
  matchTrack,
  oneVersionPerSong,
  type TrackMatch,
} from "./match.js";
