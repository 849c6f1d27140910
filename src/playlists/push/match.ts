/** Matching a playlist track to a song of another library by artist and title, compared normalized. */
import { baseTitle, normName, similarity } from "../../domain/text.js";
import type { PlaylistTrack } from "../types.js";

export interface Candidate {
  id: string;
  title: string;
  artist: string;
  /** Seconds, when the library says. */
  duration?: number;
}

/** How well the titles agree: exact, then without version suffixes ("- Remastered", "(Live)"), then fuzzily. */
export function titleScore(track: string, candidate: string): number {
  if (normName(track) === normName(candidate)) return 1;
  const a = baseTitle(track);
  const b = baseTitle(candidate);
  if (a === b) return 0.9;
  const l = similarity(a, b);
  return l >= 0.8 ? 0.8 * l : 0;
}

/**
 * How well the artists agree. A library may join several artists in one field ("A & B", "A feat. B", "A; B"):
 * any of the track's artists found whole in the candidate's artist words counts.
 */
export function artistScore(artists: readonly string[], candidate: string): number {
  const c = normName(candidate);
  let best = 0;
  for (const artist of artists) {
    const a = normName(artist);
    if (a === "") continue;
    if (a === c) return 1;
    if (` ${c} `.includes(` ${a} `)) best = Math.max(best, 0.9);
    const l = similarity(a, c);
    if (l >= 0.8) best = Math.max(best, 0.8 * l);
  }
  return best;
}

/** The best candidate for the track (both artist and title must agree), or null; near-ties go to the closer length. */
export function bestMatch(track: PlaylistTrack, candidates: readonly Candidate[]): Candidate | null {
  let best: { c: Candidate; score: number } | null = null;
  for (const c of candidates) {
    const t = titleScore(track.name, c.title);
    const a = artistScore(track.artists, c.artist);
    if (t === 0 || a === 0) continue;
    const gap = c.duration === undefined ? 0.5 : Math.abs(c.duration - track.durationMs / 1000);
    const score = t + a - Math.min(gap, 60) / 600;
    if (!best || score > best.score) best = { c, score };
  }
  return best?.c ?? null;
}
