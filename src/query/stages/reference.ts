/** "similar to Helena by My Chemical Romance", "songs like Radiohead": rank by closeness to that track or artist. */
import { normName, songKey } from "../../domain/text.js";
import type { StoredTrack } from "../../store/store.js";
import { referenceConstraints, summarizeTracks } from "../closeness.js";
import { emptyPlan, identifyConstraints, PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import { normQuery } from "../tokens.js";
import type { NotSongConstraint, PlanContext, QueryPlan } from "../types.js";

const REFERENCE_RE =
  /\b(?:similar to|like|sounds like|sounding like|reminds me of|in the vein of|along the lines of|same vibe as|vibe of)\s+(.+?)(?=\s+but\b|\s+with\b|\s+without\b|$)/;
/** "I like X", "you'd like": the cue word is a verb, not a comparison. */
const NOT_A_COMPARISON = ["i", "you", "we", "they", "would", "really", "d"];

const titleHead = (name: string) => normQuery(name.split(/\s+-\s+|\s*[([]/)[0] ?? name);

/** The track a title (and maybe an artist) names: exact titles first, then the most popular. */
export function findTrack(ctx: PlanContext, phrase: string): StoredTrack | undefined {
  const by = /^(.+?)\s+by\s+(.+)$/.exec(phrase);
  const title = by ? (by[1] as string) : phrase;
  const artistNorm = by ? (by[2] as string) : null;
  const candidates = ctx
    .findTitles(title, 200)
    .filter((t) => normQuery(t.name).startsWith(title) || titleHead(t.name) === title);
  const byArtist = artistNorm
    ? candidates.filter((t) => t.artists.some((a) => normQuery(a) === artistNorm))
    : candidates;
  const exact = byArtist.filter((t) => titleHead(t.name) === title);
  return (exact.length > 0 ? exact : byArtist).sort((a, b) => b.popularity - a.popularity)[0];
}

function notSong(track: StoredTrack, text: string): NotSongConstraint {
  return {
    type: "not_song",
    key: songKey(track.artists, track.name),
    label: `not ${track.name} itself`,
    hard: true,
    priority: PRIORITY.option,
    source: { kind: "reference", text },
  };
}

/** Ranks by closeness to one track, leaving its own versions out. */
export function likeTrack(plan: QueryPlan, track: StoredTrack, text: string): void {
  plan.reference = { kind: "track", name: track.name, artists: track.artists, rowids: [track.rowid] };
  plan.semanticText = "";
  referenceConstraints(plan, summarizeTracks([track]), `${track.name} by ${track.artists.join(", ")}`);
  plan.constraints.push(notSong(track, text));
}

export function readReference(s: PlanState): void {
  const m = REFERENCE_RE.exec(s.norm);
  if (!m) return;
  const before = s.norm.slice(0, m.index).trim().split(" ").pop();
  if (before && NOT_A_COMPARISON.includes(before)) return;
  const phrase = m[1] as string;
  const phraseEnd = m.index + m[0].length;
  const { ctx, plan } = s;
  const pick = findTrack(ctx, phrase);
  if (pick) {
    s.claim(m.index, phraseEnd);
    likeTrack(plan, pick, phrase);
    s.referenceTracks = [pick];
    return;
  }
  const artist = ctx.findArtist(phrase);
  if (!artist) return;
  const tracks = ctx.artistTracks(normName(artist), 50);
  if (tracks.length === 0) return;
  s.claim(m.index, phraseEnd);
  s.referenceTracks = tracks;
  plan.reference = { kind: "artist", name: artist, artists: [artist], rowids: tracks.map((t) => t.rowid) };
  plan.semanticText = "";
  referenceConstraints(plan, summarizeTracks(tracks), artist);
  plan.constraints.push({
    type: "artist",
    names: [artist],
    norms: [normName(artist)],
    exclude: true,
    label: `not by ${artist}`,
    hard: true,
    priority: PRIORITY.option,
    source: { kind: "reference", text: phrase },
  });
}

/** The plan behind `spotivec similar <track>`: what "songs similar to <track>" means, without the parsing. */
export function similarPlan(track: StoredTrack): QueryPlan {
  const plan = emptyPlan(`similar to ${track.artists.join(", ")} - ${track.name}`);
  likeTrack(plan, track, track.name);
  return identifyConstraints(plan);
}
