/**
 * Playlists: saved searches (query, options, plan) with the tracks they answered, kept in the database, refreshed
 * against a grown catalog and exported to the formats players read.
 */
export {
  csvField,
  EXPORT_TYPES,
  EXPORTIFY_COLUMNS,
  exportFormat,
  exportPlaylist,
  formatOfPath,
  spotifyUri,
  toCsv,
  toM3u8,
  toXspf,
  xmlEscape,
} from "./export.js";
export {
  checkPlaylistName,
  deletePlaylist,
  getPlaylist,
  listPlaylists,
  MAX_NAME_LENGTH,
  playlistTrack,
  putPlaylist,
  savePlaylist,
} from "./library.js";
export {
  diffPlaylists,
  type Likes,
  likesProfile,
  needsEmbedder,
  type RefreshOptions,
  refreshPlaylist,
} from "./refresh.js";
export {
  EXPORT_FORMATS,
  type ExportFormat,
  type Playlist,
  type PlaylistSource,
  type PlaylistTrack,
} from "./types.js";
