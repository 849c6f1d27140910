import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normName } from "../../src/domain/text.js";
import { openCsv } from "../../src/ingest/csv.js";
import { PhraseTables, type PlanContext, planQuery, type QueryPlan } from "../../src/query/plan.js";
import { artistCollision } from "../../src/query/stages/artists.js";
import { PlanState } from "../../src/query/state.js";
import { COMMON_WORDS } from "../../src/query/vocabulary/common-words.js";
import { STOPWORDS } from "../../src/query/vocabulary.js";
import { tempDir, writeFixtures } from "../helpers.js";

const REAL_114K = join(import.meta.dirname, "../../../shared/data/spotify_tracks_dataset_114k.csv.gz");

/** Artist names (split on ";") and genre labels of a 114K-layout file, read with the project's CSV reader. */
async function readCatalog(path: string): Promise<{ artists: Set<string>; labels: Set<string> }> {
  const artists = new Set<string>();
  const labels = new Set<string>();
  let header: string[] | null = null;
  for await (const item of openCsv(path).items) {
    if (item.kind !== "record") continue;
    if (!header) {
      header = item.fields;
      continue;
    }
    const a = header.indexOf("artists");
    const g = header.indexOf("track_genre");
    for (const name of (item.fields[a] ?? "").split(";")) if (name.trim()) artists.add(name.trim());
    if (item.fields[g]) labels.add(item.fields[g] as string);
  }
  return { artists, labels };
}

function context(artists: Iterable<string>, labels: readonly string[]): PlanContext {
  const byNorm = new Map<string, string>();
  for (const a of artists) if (!byNorm.has(normName(a))) byNorm.set(normName(a), a);
  return {
    genreLabels: labels,
    hasYears: false,
    findArtist: (norm) => byNorm.get(norm) ?? null,
    findTitles: () => [],
    artistTracks: () => [],
    profile: () => null,
  };
}

const phraseTables = new PhraseTables();
const plan = (q: string, ctx: PlanContext) => planQuery(q, ctx, { phrases: phraseTables });
const artistOf = (p: QueryPlan) => p.constraints.filter((c) => c.type === "artist").flatMap((c) => c.names);

/** The one-word names of the catalog that collide with the vocabulary or the common words, by kind. */
function collisions(artists: Iterable<string>, ctx: PlanContext): Map<string, "vocabulary" | "common"> {
  const state = new PlanState("", ctx, phraseTables.for(ctx.genreLabels));
  const out = new Map<string, "vocabulary" | "common">();
  for (const name of artists) {
    const norm = normName(name);
    if (norm === "" || norm.includes(" ")) continue;
    const kind = artistCollision(state, norm);
    if (kind !== "none") out.set(name, kind);
  }
  return out;
}

const capital = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** Asserts the planner leaves the name alone without a cue and takes it with one. */
async function checkCues(name: string, kind: "vocabulary" | "common", ctx: PlanContext): Promise<void> {
  const word = normName(name);
  const Name = capital(word);
  for (const q of [`anime songs with lots of ${word}`, `${word} songs`, `late night ${word} and chill`]) {
    expect(artistOf(await plan(q, ctx)).map(normName), `${q} (no cue)`).not.toContain(word);
  }
  const cued = [`songs by ${Name}`, `"${word}" songs`, `songs from ${Name}`, Name];
  // After "by", a stopword names an artist only when written as a name ("songs by Love", not "by love").
  if (!STOPWORDS.has(word)) cued.push(`by ${word}`);
  if (kind === "common") cued.push(`${Name} songs`, word);
  // Names that differ only in case ("GRAY", "Gray") are one artist to the catalog.
  for (const q of cued) expect(artistOf(await plan(q, ctx)).map(normName), `${q} (cue)`).toEqual([word]);
  if (kind === "vocabulary") expect(artistOf(await plan(word, ctx)), `${word} alone`).toEqual([]);
}

/** Every k-th of the list, at most n of them, in a fixed order. */
function sample<T>(list: readonly T[], n: number): T[] {
  const step = Math.max(1, Math.floor(list.length / n));
  return list.filter((_, i) => i % step === 0).slice(0, n);
}

const NAMED = ["Energy", "Love", "Heart", "Rain", "Sleep", "Loud", "Live", "Ghost", "Gold", "Queen"];
const OTHERS = ["Radiohead", "My Chemical Romance", "blink-182", "The Weeknd"];

describe("one-word artists told apart from words", () => {
  const labels = ["anime", "chill", "happy", "party", "sleep", "study", "pop", "rock", "techno"];
  const ctx = context([...NAMED, ...OTHERS], labels);

  it("the common-word list is a few hundred words, in normalized form", () => {
    expect(COMMON_WORDS.size).toBeGreaterThan(300);
    for (const w of COMMON_WORDS) expect(w).toBe(normName(w));
  });

  it("the artists the issue names all collide, and no other", () => {
    const found = collisions([...NAMED, ...OTHERS], ctx);
    expect([...found.keys()].sort()).toEqual([...NAMED].sort());
    expect(found.get("Sleep")).toBe("vocabulary");
    expect(found.get("Queen")).toBe("common");
  });

  it.each(NAMED)("%s: no artist without a cue, the artist with one", async (name) => {
    const kind = collisions([name], ctx).get(name);
    await checkCues(name, kind as "vocabulary" | "common", ctx);
  });

  it("anime songs with lots of energy -> no artist, the energy word left to the planner", async () => {
    const p = await plan("anime songs with lots of energy", ctx);
    expect(artistOf(p)).toEqual([]);
    expect(p.artistCap).toBe(3);
  });

  it.each([
    ["songs by Queen", "Queen"],
    ["Heart songs", "Heart"],
    ["songs by Live", "Live"],
    ["Energy songs", "Energy"],
    // A quoted name always names the artist, also after other words.
    ['upbeat "Energy" songs', "Energy"],
    // The name after words of the vocabulary; a word-like name there needs its capital.
    ["danceable Radiohead songs", "Radiohead"],
    ["acoustic radiohead", "Radiohead"],
    ["slow Queen songs", "Queen"],
    ["slow queen songs", null],
    ["sad songs heart", null],
    ["queen", "Queen"],
    ["fast songs by radiohead", "Radiohead"],
    ["radiohead songs", "Radiohead"],
    ["blink 182 songs", "blink-182"],
    ["the weeknd", "The Weeknd"],
    ["sleep", null],
    ["happy songs with heart", null],
    ["ENERGY SONGS", null],
  ])("%s -> %s", async (q, name) => {
    expect(artistOf(await plan(q, ctx))).toEqual(name ? [name] : []);
  });

  it("the fixture catalog: its colliding names (if any) follow the cue rules", async () => {
    const fx = writeFixtures(tempDir());
    const { artists, labels: fxLabels } = await readCatalog(fx.dataset114k);
    expect(artists.size).toBeGreaterThan(5);
    const fxCtx = context(artists, [...fxLabels]);
    const found = collisions(artists, fxCtx);
    for (const [name, kind] of found) await checkCues(name, kind, fxCtx);
    // Multi-word and non-word names still match as the whole query.
    for (const name of [...artists].filter((a) => !found.has(a) && normName(a) !== "").slice(0, 5)) {
      expect(artistOf(await plan(`${name} songs`, fxCtx))).toEqual([name]);
    }
  });

  it.skipIf(!existsSync(REAL_114K))(
    "the real 114K catalog: lists every colliding one-word artist and samples the cue rules",
    async () => {
      const { artists, labels: realLabels } = await readCatalog(REAL_114K);
      expect(artists.size).toBeGreaterThan(10_000);
      const realCtx = context(artists, [...realLabels]);
      const found = collisions(artists, realCtx);
      const names = [...found.keys()].sort();
      console.info(`${names.length} one-word artists collide with words: ${names.join(", ")}`);
      for (const name of ["Queen", "Heart", "Live"]) expect(found.has(name), name).toBe(true);
      for (const name of sample(names, 60))
        await checkCues(name, found.get(name) as "vocabulary" | "common", realCtx);
      for (const [q, name] of [
        ["songs by Queen", "Queen"],
        ["Heart songs", "Heart"],
        ["songs by Live", "Live"],
      ]) {
        expect(artistOf(await plan(q as string, realCtx)), q).toEqual([name]);
      }
      expect(artistOf(await plan("anime songs with lots of energy", realCtx))).toEqual([]);
    },
    120_000,
  );
});
