/**
 * "Y remix of X": tracks of Y. First the literal reading: Y tracks that are versions of the X songs (a liked
 * song's title or artist, and a remix word in the name); without any, Y tracks whose mood is closest to X's.
 */
import { baseTitle } from "../../domain/text.js";
import type { StoredTrack } from "../../store/store.js";
import {
  type FeatureSummary,
  referenceConstraints,
  summarizeProfile,
  summarizeTracks,
} from "../closeness.js";
import {
  conceptByName,
  conceptConstraint,
  DEFAULT_ARTIST_CAP,
  PRIORITY,
  removeWhere,
} from "../constraints.js";
import { type GenreEntry, genreWordsIn } from "../phrases.js";
import type { PlanState } from "../state.js";
import { GENRE_IMPLIES, REMIX_WORDS } from "../vocabulary.js";

export function remixConstraints(s: PlanState, target: GenreEntry, sourceText: string): void {
  const { plan } = s;
  plan.constraints.push({
    type: "genre",
    labels: [...target.labels],
    core: [...target.core],
    label: `genre ${target.key}`,
    hard: true,
    // A remix of something in Y is a Y track: never relaxed into other genres.
    priority: PRIORITY.option,
    source: { kind: "word", text: target.key },
  });
  plan.constraints.push({
    type: "title",
    words: [...REMIX_WORDS],
    label: "a remix or version",
    hard: false,
    priority: PRIORITY.word,
    source: { kind: "word", text: "remix" },
  });
  // The source's words describe the songs remixed, not the results.
  s.claim(s.norm.length - sourceText.length, s.norm.length);
  const sourceGenre = genreWordsIn(sourceText, s.phrases);
  const songs = sourceGenre ? `${sourceGenre.key} songs` : "the songs";
  const fromLikes = plan.personal !== null && Boolean(s.ctx.liked);
  const what = fromLikes ? `your liked ${songs}` : songs;
  let summary: FeatureSummary | null = null;
  if (fromLikes) {
    const liked = remixOfLikes(s, target, sourceGenre, sourceText, what);
    if (liked === "literal") return;
    summary = liked;
  } else if (sourceGenre) {
    const profile = s.ctx.profile({ genres: sourceGenre.labels });
    if (profile) summary = summarizeProfile(profile);
  }
  if (summary) referenceConstraints(plan, summary, what, { genres: false, hard: false });
  if (sourceGenre) impliedMood(s, sourceGenre);
}

/**
 * The likes (of the source genre) are what is remixed, not the results: versions of them in the target genre
 * when the catalog has any ("literal"), or else their summary to stay close to.
 */
function remixOfLikes(
  s: PlanState,
  target: GenreEntry,
  sourceGenre: GenreEntry | null,
  sourceText: string,
  what: string,
): FeatureSummary | null | "literal" {
  const { plan, ctx } = s;
  const tracks = (ctx.liked?.tracks ?? []).filter(
    (t) => !sourceGenre || t.allGenres.some((g) => sourceGenre.labels.includes(g)),
  );
  if (plan.personal) {
    plan.personal.mode = "remix";
    plan.personal.liked = tracks.map((t) => t.rowid);
  }
  removeWhere(plan.constraints, (c) => c.type === "liked");
  plan.artistCap = DEFAULT_ARTIST_CAP;
  const literal = versionsIn(s, tracks, target);
  if (literal.length > 0) {
    plan.constraints.push({
      type: "liked",
      rowids: literal,
      label: `${target.key} versions of ${what}`,
      hard: true,
      priority: PRIORITY.word,
      source: { kind: "reference", text: sourceText },
    });
    return "literal";
  }
  plan.notes.push(
    `no ${target.key} remixes of ${what} in the catalog: showing ${target.key} tracks with their mood instead`,
  );
  return tracks.length > 0 ? summarizeTracks(tracks) : null;
}

/** Tracks of the target genre with the same base title as a source track and a remix word in the name. */
function versionsIn(s: PlanState, tracks: readonly StoredTrack[], target: GenreEntry): number[] {
  const titles = new Set(tracks.map((t) => baseTitle(t.name)));
  const found = new Set<number>();
  for (const title of titles) {
    for (const t of s.ctx.findTitles(title, 100)) {
      const inTarget = t.allGenres.some((g) => target.labels.includes(g));
      const isVersion = REMIX_WORDS.some((w) => t.name.toLowerCase().includes(w));
      if (inTarget && isVersion && baseTitle(t.name) === title) found.add(t.rowid);
    }
  }
  return [...found];
}

/** What the source genre's name says about mood ("emo": sad) carries into the remix, over the songs' average. */
function impliedMood(s: PlanState, sourceGenre: GenreEntry): void {
  for (const implied of GENRE_IMPLIES[sourceGenre.key] ?? []) {
    const c = conceptConstraint(
      conceptByName(implied),
      "bit",
      false,
      { kind: "synonym", text: sourceGenre.key },
      false,
    );
    removeWhere(
      s.plan.constraints,
      (x) => x.type === "range" && x.source.kind === "reference" && x.field === c.field,
    );
    s.plan.constraints.push({ ...c, label: `${sourceGenre.key}: ${c.label}` });
  }
}
