import { normName, songKey } from "../domain/text.js";
import type { QueryPlan } from "../query/plan.js";
import type { Scored } from "./score.js";

/**
 * Best first (tracks that fit relaxed constraints better before the others); one version per song unless asked; at
 * most `plan.artistCap` tracks per artist.
 */
export function shapeResults(scored: readonly Scored[], plan: QueryPlan, limit: number): Scored[] {
  const sorted = [...scored].sort(
    (a, b) => b.relaxedFit - a.relaxedFit || b.score - a.score || a.track.rowid - b.track.rowid,
  );
  const songs = new Set<string>();
  const perArtist = new Map<string, number>();
  const out: Scored[] = [];
  for (const s of sorted) {
    if (out.length >= limit) break;
    const key = plan.collapseVersions
      ? songKey(s.track.artists, s.track.name)
      : `${s.track.artists.map(normName).join("|")}::${normName(s.track.name)}`;
    if (songs.has(key)) continue;
    const artist = normName(s.track.artists[0] ?? "");
    if (plan.artistCap !== null && (perArtist.get(artist) ?? 0) >= plan.artistCap) continue;
    songs.add(key);
    perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
    out.push(s);
  }
  return out;
}
