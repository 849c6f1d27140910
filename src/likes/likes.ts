/**
 * A listener's likes, from the files people actually have, resolved to catalog tracks. Every entry ends up
 * matched, ambiguous or unmatched, with a reason: none is dropped silently.
 */
export {
  detectLikesFormat,
  type LikeEntry,
  type LikesFormat,
  parseLikes,
  readLikesFile,
  trackIdOf,
} from "./parse.js";
export {
  FUZZY_THRESHOLD,
  type Resolution,
  type ResolvedLikes,
  resolveLike,
  resolveLikes,
  similarity,
} from "./resolve.js";
