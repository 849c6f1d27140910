/** "emo songs I like", "my favorite techno": the likes are the scope; "songs like the ones I like": the taste. */
import { referenceConstraints, summarizeTracks } from "../closeness.js";
import { PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";

const TASTE_RE =
  /\b(?:(?:songs|tracks|music|stuff|something)\s+)?(?:like|similar to|resembling|in the style of|close to|along the lines of)\s+(?:the\s+)?(?:ones|songs|tracks|stuff|music|what|those|that|things)\s+(?:that\s+)?i\s+(?:like|love|liked|loved|listen to|enjoy)\b|\bmore of what i (?:like|love)\b|\b(?:based on|matching|fitting|for) my taste\b|\b(?:like|similar to) my (?:likes|favorites|favourites|faves|liked songs)\b/;
const SCOPE_RE =
  /\b(?:that\s+|which\s+)?i\s+(?:like|love|liked|loved|saved|enjoy|dig)\b|\bmy\s+(?:favorite|favourite|fave|liked|saved|loved|top)s?\b|\b(?:from|in|of|among)\s+my\s+(?:likes|liked songs|favorites|favourites|library|saved songs|saved tracks)\b|\bmy likes\b|\bmy library\b/;

export function readPersonal(s: PlanState): void {
  const taste = TASTE_RE.exec(s.norm);
  const m = taste ?? SCOPE_RE.exec(s.norm);
  if (!m) return;
  s.claim(m.index, m.index + m[0].length);
  const { ctx, plan } = s;
  if (!ctx.liked || ctx.liked.tracks.length === 0) {
    plan.notes.push(
      "the query is about your likes, but none were given: pass --likes FILE or import them with `spotivec likes import`",
    );
    return;
  }
  const liked = ctx.liked.tracks.map((t) => t.rowid);
  const withVersions = ctx.versionsOf ? ctx.versionsOf(liked) : liked;
  plan.personal = { mode: taste ? "taste" : "scope", liked, from: ctx.liked.from };
  plan.semanticText = plan.query.replace(new RegExp(m[0].split(" ").join("\\W+"), "i"), "").trim();
  const source = { kind: "reference" as const, text: m[0] };
  if (taste) {
    // Leave the likes themselves out, and keep to the genres most of them share.
    plan.constraints.push({
      type: "liked",
      rowids: withVersions,
      exclude: true,
      label: "not already liked",
      hard: true,
      priority: PRIORITY.option,
      source,
    });
    referenceConstraints(plan, summarizeTracks(ctx.liked.tracks), "your likes", {
      genres: true,
      hard: false,
      minShare: 0.2,
    });
  } else {
    plan.constraints.push({
      type: "liked",
      rowids: withVersions,
      label: `liked (${liked.length} songs)`,
      hard: true,
      priority: PRIORITY.option,
      source,
    });
    plan.artistCap = null;
  }
}
