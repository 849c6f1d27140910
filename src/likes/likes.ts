/**
 * A listener's likes, from the files people actually have, resolved to catalog tracks. Every entry ends up
 * matched, ambiguous, unmatched or invalid, with a reason: none is dropped silently.
 */
export {
  CatalogIndex,
  type MatchCatalog as LikesCatalog,
  type MatchTrack as LikedTrack,
  storeCatalog,
} from "../store/match/index.js";
export {
  type CheckedLikes,
  checkLikesFile,
  DETAILS_MAX,
  INDEX_THRESHOLD,
  LIKES_BATCH,
  type LikesFileResult,
  resolveLikesFile,
  type StatusCounts,
} from "./import.js";
export {
  detectLikesFormat,
  isComment,
  type LikeEntry,
  type LikeItem,
  type LikesFormat,
  parseLikeItems,
  parseLikes,
  trackIdOf,
} from "./parse.js";
export { likeItems, MAX_JSON_BYTES, openLikes, scanLikes } from "./read.js";
export {
  type Resolution,
  type ResolvedLikes,
  resolveLike,
  resolveLikes,
  resolveWith,
} from "./resolve.js";
