/**
 * Checks a reply against what was sent: every id must be one sent (others are counted and ignored), each sent id
 * must come back (missing ones are retried alone), tags outside the vocabulary are dropped, tags the track's own
 * features contradict are dropped, similar artists the catalog does not know are dropped; subgenre tags are
 * compared with the catalog's labels where the track has them, and the agreement is counted.
 */
import { normName } from "../../domain/text.js";
import type { Track } from "../../domain/track.js";
import { contradiction } from "./contradictions.js";
import type { TagReply } from "./prompt.js";
import { MAX_SIMILAR_ARTISTS, MAX_TAGS, SIMILAR_ARTIST_PREFIX, TAG_BY_NAME } from "./vocabulary.js";

export interface SentTrack {
  /** The batch-local id the model sees ("t3"). */
  key: string;
  rowid: number;
  track: Track;
  inputHash: string;
}

export interface ValidatedTags {
  rowid: number;
  inputHash: string;
  tags: string[];
}

export interface TagCounts {
  /** Tracks given validated tags (from the API or the cache). */
  tagged: number;
  /** Tracks whose tags came from the cache. */
  cached: number;
  /** Ids sent but not answered (each retried once alone). */
  missingIds: number;
  /** Ids answered that were not sent, or answered twice. */
  unknownIds: number;
  outOfVocabulary: number;
  contradictions: number;
  similarArtistsDropped: number;
  /** Subgenre tags on tracks that carry catalog labels, and how many of those agree with a label. */
  genreChecked: number;
  genreAgreed: number;
  /** Tracks that got no usable answer even alone. */
  failed: number;
}

export function emptyCounts(): TagCounts {
  return {
    tagged: 0,
    cached: 0,
    missingIds: 0,
    unknownIds: 0,
    outOfVocabulary: 0,
    contradictions: 0,
    similarArtistsDropped: 0,
    genreChecked: 0,
    genreAgreed: 0,
    failed: 0,
  };
}

/** Canonical spelling of an artist the catalog knows (by normalized name), or null. */
export type ArtistLookup = (norm: string) => string | null;

/** The tags of one track that survive the checks, vocabulary tags first. */
export function checkTags(
  track: Track,
  tags: readonly string[],
  similar: readonly string[],
  findArtist: ArtistLookup,
  counts: TagCounts,
): string[] {
  const kept: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    const spec = TAG_BY_NAME.get(tag);
    if (!spec) {
      counts.outOfVocabulary++;
      continue;
    }
    if (kept.includes(tag) || kept.length >= MAX_TAGS) continue;
    if (contradiction(tag, track)) {
      counts.contradictions++;
      continue;
    }
    if (spec.labels && track.allGenres.length > 0) {
      counts.genreChecked++;
      if (spec.labels.some((l) => track.allGenres.includes(l))) counts.genreAgreed++;
    }
    kept.push(tag);
  }
  const own = new Set(track.artists.map(normName));
  const artists: string[] = [];
  for (const name of similar) {
    const norm = normName(name);
    const known = own.has(norm) ? null : findArtist(norm);
    if (!known || artists.includes(known) || artists.length >= MAX_SIMILAR_ARTISTS) {
      counts.similarArtistsDropped++;
      continue;
    }
    artists.push(known);
  }
  return [...kept, ...artists.map((a) => `${SIMILAR_ARTIST_PREFIX}${a}`)];
}

/** The validated tags of the answered tracks, and the sent tracks the reply left out. */
export function validateReply(
  sent: readonly SentTrack[],
  reply: TagReply,
  findArtist: ArtistLookup,
  counts: TagCounts,
): { accepted: ValidatedTags[]; missing: SentTrack[] } {
  const byKey = new Map(sent.map((s) => [s.key, s]));
  const answered = new Set<string>();
  const accepted: ValidatedTags[] = [];
  for (const item of reply.tracks) {
    const s = byKey.get(item.id);
    if (!s || answered.has(item.id)) {
      counts.unknownIds++;
      continue;
    }
    answered.add(item.id);
    const tags = checkTags(s.track, item.tags, item.similar_artists, findArtist, counts);
    accepted.push({ rowid: s.rowid, inputHash: s.inputHash, tags });
  }
  const missing = sent.filter((s) => !answered.has(s.key));
  counts.missingIds += missing.length;
  return { accepted, missing };
}
