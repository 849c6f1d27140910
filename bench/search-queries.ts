/** The search benchmarks' query texts and filter sets (bench/ingest-search.ts, bench/search.ts, bench/ann-candidates.ts). */
import type { TrackFilters } from "../src/store/store.js";

export const QUERY_TEXTS = [
  "dark techno with high energy",
  "sad songs with a fast tempo",
  "chill acoustic guitar",
  "happy reggae",
  "drum and bass",
  "slow piano ballad",
  "music for studying",
  "danceable k-pop",
  "aggressive metal",
  "running music 170 bpm",
  "loud rock in a minor key",
  "short acoustic songs",
  "live jazz",
  "stand-up comedy",
  "clean hip hop",
  "explicit rap",
  "popular dance hits",
  "obscure indie",
  "party songs",
  "ambient for sleep",
  "emo",
  "hardstyle",
  "melancholic indie folk",
  "euphoric trance",
  "latin dance",
  "very long songs",
  "punk rock",
  "soul from the seventies",
  "instrumental electronic",
  "romantic bossa nova",
];

/** Half the queries carry filters: broad ranges, narrow combinations, genre sets (selective at any scale). */
export const FILTER_SETS: TrackFilters[] = [
  { ranges: { tempo: { min: 120, max: 140 } } },
  { ranges: { energy: { min: 0.7 }, valence: { max: 0.35 } } },
  { ranges: { popularity: { min: 50 } }, explicit: false },
  { ranges: { acousticness: { min: 0.6 }, danceability: { max: 0.5 } } },
  { genres: ["techno", "minimal-techno", "detroit-techno"] },
];
