/**
 * @data The fixed tag vocabulary an LLM may give a track. Hand-written for this project (no external source).
 *
 * Rationale: the descriptions already say what the audio features measure (energy, valence, tempo, ...), so tags
 * are for what the numbers cannot say: moods beyond sad/happy (dreamy, haunting), subgenres finer than the
 * catalog's 114 labels (shoegaze, city pop), scenes a listener searches for (late night drive, rainy day), era
 * styles (80s sound), and textures (lo-fi, orchestral). The list is closed so that a model cannot invent spellings
 * the planner and the embedding never saw; a tag outside it is dropped and counted. Subgenre tags name the catalog
 * labels they belong under, so a track's tags can be checked against its own labels. Similar-artist tags are the
 * one open category: a model may name up to three artists, kept only when the catalog knows them.
 */

export type TagCategory = "mood" | "subgenre" | "scene" | "era" | "texture";

export interface TagSpec {
  tag: string;
  category: TagCategory;
  /** Subgenres: the catalog (114K track_genre) labels this style belongs under. */
  labels?: readonly string[];
}

const mood = (tag: string): TagSpec => ({ tag, category: "mood" });
const scene = (tag: string): TagSpec => ({ tag, category: "scene" });
const era = (tag: string): TagSpec => ({ tag, category: "era" });
const texture = (tag: string): TagSpec => ({ tag, category: "texture" });
const sub = (tag: string, labels: readonly string[]): TagSpec => ({ tag, category: "subgenre", labels });

export const TAG_VOCABULARY: readonly TagSpec[] = [
  ...[
    "dreamy",
    "melancholic",
    "uplifting",
    "euphoric",
    "aggressive",
    "dark",
    "romantic",
    "nostalgic",
    "playful",
    "peaceful",
    "calm",
    "tense",
    "brooding",
    "triumphant",
    "bittersweet",
    "sensual",
    "angry",
    "hopeful",
    "haunting",
    "gritty",
    "chill",
    "energetic",
    "sad",
    "happy",
    "mysterious",
    "empowering",
  ].map(mood),
  sub("shoegaze", ["alt-rock", "indie", "rock", "grunge"]),
  sub("dream pop", ["indie-pop", "indie", "pop", "synth-pop"]),
  sub("post-rock", ["rock", "alt-rock", "ambient", "indie"]),
  sub("post-punk", ["punk", "punk-rock", "alt-rock", "goth", "indie"]),
  sub("nu metal", ["metal", "alt-rock", "hard-rock", "metalcore"]),
  sub("thrash metal", ["metal", "heavy-metal", "hardcore"]),
  sub("doom metal", ["metal", "heavy-metal", "black-metal", "death-metal"]),
  sub("pop punk", ["punk-rock", "punk", "emo", "power-pop"]),
  sub("trap", ["hip-hop"]),
  sub("boom bap", ["hip-hop"]),
  sub("lo-fi hip hop", ["hip-hop", "chill", "study"]),
  sub("emo rap", ["emo", "hip-hop"]),
  sub("neo soul", ["soul", "r-n-b"]),
  sub("synthwave", ["synth-pop", "electronic", "electro"]),
  sub("vaporwave", ["electronic", "chill"]),
  sub("melodic techno", ["techno", "minimal-techno", "detroit-techno"]),
  sub("acid house", ["house", "chicago-house"]),
  sub("tech house", ["house", "deep-house", "techno", "minimal-techno"]),
  sub("liquid drum and bass", ["drum-and-bass"]),
  sub("future bass", ["edm", "electronic", "dubstep"]),
  sub("big room", ["edm", "progressive-house", "dance", "house"]),
  sub("bedroom pop", ["indie-pop", "pop", "indie"]),
  sub("city pop", ["j-pop", "funk", "disco"]),
  sub("bossa nova", ["brazil", "mpb", "jazz", "samba"]),
  sub("smooth jazz", ["jazz"]),
  sub("bebop", ["jazz"]),
  sub("americana", ["country", "folk", "singer-songwriter", "bluegrass"]),
  sub("outlaw country", ["country", "honky-tonk"]),
  sub("baroque", ["classical", "opera"]),
  sub("romantic era", ["classical", "piano", "opera"]),
  sub("roots reggae", ["reggae", "dub"]),
  sub("afro house", ["afrobeat", "house", "deep-house"]),
  ...[
    "late night drive",
    "workout",
    "party",
    "rainy day",
    "summer",
    "study",
    "sleep",
    "road trip",
    "club night",
    "coffee shop",
    "wedding",
    "festival",
    "heartbreak",
    "focus",
  ].map(scene),
  ...["retro", "vintage", "60s sound", "70s sound", "80s sound", "90s sound", "y2k", "modern"].map(era),
  ...[
    "atmospheric",
    "lo-fi",
    "orchestral",
    "acoustic guitar",
    "synth-heavy",
    "bass-heavy",
    "piano-driven",
    "falsetto",
    "choir",
    "distorted",
    "minimal",
    "anthemic",
    "groovy",
    "glitchy",
    "cinematic",
    "raw",
  ].map(texture),
];

/** Tags by their spelling. */
export const TAG_BY_NAME: ReadonlyMap<string, TagSpec> = new Map(TAG_VOCABULARY.map((t) => [t.tag, t]));

export { SIMILAR_ARTIST_PREFIX } from "../../domain/track.js";

/** Most similar artists kept per track. */
export const MAX_SIMILAR_ARTISTS = 3;

/** Most vocabulary tags kept per track. */
export const MAX_TAGS = 6;
