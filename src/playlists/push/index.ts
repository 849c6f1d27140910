/** Pushing a saved playlist to the players people use: Spotify (the user's own app) and Subsonic servers. */
export { PUSH_AUTH, PUSH_FAILED } from "./errors.js";
export { pushToSpotify, type SpotifyPushOptions, type SpotifyPushResult } from "./spotify.js";
export { type SpotifyAuthOptions, spotifyEndpoints } from "./spotify-auth.js";
export {
  pushToSubsonic,
  type SubsonicOptions,
  type SubsonicPushResult,
  type UnmatchedTrack,
} from "./subsonic.js";
export { spotifyTokenPath } from "./tokens.js";
