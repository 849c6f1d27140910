/** The normalized shapes every layout is turned into. */
export interface AudioFeatures {
  popularity: number;
  durationMs: number;
  explicit: boolean;
  danceability: number;
  energy: number;
  key: number;
  loudness: number;
  mode: number;
  speechiness: number;
  acousticness: number;
  instrumentalness: number;
  liveness: number;
  valence: number;
  tempo: number;
  timeSignature: number;
}

export interface TrackRow extends AudioFeatures {
  id: string;
  name: string;
  artists: string[];
  /** Spotify artist ids, in the same order as artists (600K layout only). */
  artistIds: string[];
  album: string | null;
  /** Genre labels carried by the row itself (the 114K track_genre). */
  genres: string[];
  releaseDate: string | null;
  year: number | null;
}

export interface ArtistRow {
  id: string;
  name: string;
  followers: number | null;
  popularity: number | null;
  genres: string[];
}

/** A track as stored: its row plus every genre it carries (its own and its artists'). */
export interface Track extends TrackRow {
  allGenres: string[];
}

export function spotifyUrl(id: string): string {
  return `https://open.spotify.com/track/${id}`;
}
