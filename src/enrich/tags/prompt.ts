/**
 * What is sent about each track and the instructions around it. A track's input line is a pure function of its
 * catalog fields, and its content hash (with the model) keys the tag cache: a rerun sends only tracks whose line
 * changed. PROMPT_VERSION is part of the hash, so a changed prompt or vocabulary asks again.
 */
import { createHash } from "node:crypto";
import type { Track } from "../../domain/track.js";
import { MAX_SIMILAR_ARTISTS, MAX_TAGS, TAG_VOCABULARY } from "./vocabulary.js";

export const PROMPT_VERSION = "tags-v1";

const r2 = (v: number) => Math.round(v * 100) / 100;

/** The facts sent about one track (short keys: they are paid for per token). */
export function trackInput(t: Track): Record<string, unknown> {
  return {
    title: t.name,
    artists: t.artists,
    ...(t.album && t.album !== t.name ? { album: t.album } : {}),
    ...(t.allGenres.length > 0 ? { genres: t.allGenres.slice(0, 4) } : {}),
    ...(t.year ? { year: t.year } : {}),
    energy: r2(t.energy),
    valence: r2(t.valence),
    dance: r2(t.danceability),
    acoustic: r2(t.acousticness),
    instrumental: r2(t.instrumentalness),
    bpm: Math.round(t.tempo),
  };
}

/** The JSON line sent for a track under its batch-local id. */
export function inputLine(id: string, t: Track): string {
  return JSON.stringify({ id, ...trackInput(t) });
}

/** The cache key of a track's input: equal hashes get equal tags from the same model. */
export function inputHash(t: Track): string {
  return createHash("sha1")
    .update(`${PROMPT_VERSION}\n${JSON.stringify(trackInput(t))}`)
    .digest("hex")
    .slice(0, 20);
}

export const SYSTEM_PROMPT = [
  "You tag music tracks for a search engine. For each track in the user's JSON lines, choose up to",
  `${MAX_TAGS} tags that describe how it sounds and feels, ONLY from this list:`,
  TAG_VOCABULARY.map((t) => t.tag).join(", "),
  `Also name up to ${MAX_SIMILAR_ARTISTS} other artists whose style is close (not the track's own artists), or none.`,
  "Audio features are 0..1 (energy, valence = happiness, dance, acoustic, instrumental); respect them:",
  "do not call a high-energy track calm. Use only tags you are confident about; an empty list is fine.",
  "Answer for every id you were given, and no other id.",
].join("\n");

/** The user message: one JSON line per track. */
export function userPrompt(lines: readonly string[]): string {
  return `Tracks:\n${lines.join("\n")}`;
}

/** The JSON schema of a reply (OpenAI strict structured output; Anthropic tool input; Workers AI JSON mode). */
export const REPLY_SCHEMA = {
  type: "object",
  properties: {
    tracks: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          tags: { type: "array", items: { type: "string", enum: TAG_VOCABULARY.map((t) => t.tag) } },
          similar_artists: { type: "array", items: { type: "string" } },
        },
        required: ["id", "tags", "similar_artists"],
        additionalProperties: false,
      },
    },
  },
  required: ["tracks"],
  additionalProperties: false,
} as const;

/** A reply as the schema has it; anything else is a malformed reply. */
export interface TagReply {
  tracks: Array<{ id: string; tags: string[]; similar_artists: string[] }>;
}

/** The reply if it has the schema's shape (extra fields ignored), else a plain Error saying what is off. */
export function readReply(value: unknown): TagReply {
  const v = typeof value === "string" ? parseJson(value) : value;
  const tracks = (v as { tracks?: unknown } | null)?.tracks;
  if (!Array.isArray(tracks)) throw new Error('no "tracks" array in the reply');
  return {
    tracks: tracks.map((item, i) => {
      const o = item as { id?: unknown; tags?: unknown; similar_artists?: unknown } | null;
      if (typeof o?.id !== "string" || !Array.isArray(o.tags))
        throw new Error(`tracks[${i}] lacks a string "id" or a "tags" array`);
      const strings = (a: unknown) =>
        Array.isArray(a) ? a.filter((x): x is string => typeof x === "string") : [];
      return { id: o.id, tags: strings(o.tags), similar_artists: strings(o.similar_artists) };
    }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("the reply is not JSON");
  }
}
