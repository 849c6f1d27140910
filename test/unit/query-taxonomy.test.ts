import { describe, expect, it } from "vitest";
import { buildPhraseTable } from "../../src/query/phrases.js";
import { type GenreConstraint, type PlanContext, planQuery } from "../../src/query/plan.js";
import { nearestLabels, taxonomyGenres } from "../../src/query/taxonomy.js";
import { normQuery } from "../../src/query/tokens.js";
import { GENRE_PARENTS } from "../../src/query/vocabulary/genre-taxonomy.js";
import { filledStore, storeTrack } from "../helpers.js";

/** Labels like the 114K file's: no shoegaze, no dream pop. */
const LABELS = [
  "alt-rock",
  "rock",
  "grunge",
  "indie-pop",
  "indie",
  "hardstyle",
  "mandopop",
  "cantopop",
  "j-pop",
  "k-pop",
];

const context = (genreLabels: string[]): PlanContext => ({
  genreLabels,
  hasYears: true,
  findArtist: () => null,
  findTitles: () => [],
  artistTracks: () => [],
  profile: () => null,
});

const genres = (c: { constraints: unknown[] }) =>
  (c.constraints as GenreConstraint[]).filter((x) => x.type === "genre");

describe("genre taxonomy data (converted from beets' lastgenre tree)", () => {
  it("every parent is itself a genre of the tree, and the tree has the genres the issue names", () => {
    const names = new Set(taxonomyGenres());
    expect(names.size).toBeGreaterThan(700);
    for (const parents of Object.values(GENRE_PARENTS))
      for (const p of parents) expect(names.has(p), p).toBe(true);
    expect(GENRE_PARENTS.shoegaze).toEqual(["alternative rock"]);
    expect(GENRE_PARENTS["dream pop"]).toEqual(["alternative rock"]);
  });

  it("nearestLabels takes the nearest level that reads as labels, the next level as partial matches", () => {
    const asLabels: Record<string, string[]> = {
      "alternative rock": ["alt-rock"],
      rock: ["rock"],
      grunge: ["grunge"],
    };
    const m = nearestLabels("shoegaze", (name) => asLabels[name] ?? null);
    expect(m?.core).toEqual(["alt-rock"]);
    expect(m?.labels).toEqual(["alt-rock", "rock", "grunge"]);
    expect(m?.links[0]).toEqual({ label: "alt-rock", through: "alternative rock", relation: "parent" });
    expect(m?.links.map((l) => l.relation)).toEqual(["parent", "grandparent", "sibling"]);
    expect(nearestLabels("shoegaze", () => null)).toBeNull();
  });
});

describe("planQuery: genres the catalog has no label for", () => {
  it("shoegaze maps softly to its nearest labels, and the plan names the taxonomy", async () => {
    const p = await planQuery("shoegaze songs", context(LABELS));
    const [g] = genres(p);
    expect(genres(p)).toHaveLength(1);
    expect(g).toMatchObject({
      hard: false,
      core: ["alt-rock"],
      source: { kind: "taxonomy", text: "shoegaze" },
    });
    expect(g?.labels).toEqual(expect.arrayContaining(["alt-rock", "grunge", "indie-pop"]));
    expect(p.notes.join("\n")).toMatch(
      /shoegaze is not a label in this catalog: preferring alt-rock.*\(taxonomy, beets/,
    );
    expect(p.freeWords).not.toContain("shoegaze");
    // The embedded text names the labels: "shoegaze" alone is nearest to songs about shoes.
    expect(p.semanticText).toBe(`${g?.labels.join(" ")} songs`);
  });

  it("the transform query keeps the source genre soft and measures the target", async () => {
    const p = await planQuery("shoegaze songs that would sound good as hardstyle", context(LABELS));
    expect(p.transform?.target).toBe("hardstyle");
    expect(genres(p)).toEqual([
      expect.objectContaining({ hard: false, source: expect.objectContaining({ kind: "taxonomy" }) }),
    ]);
  });

  it("where artist genres were ingested, 'shoegaze' is a label and matches directly (hard, no taxonomy)", async () => {
    const p = await planQuery("shoegaze songs", context([...LABELS, "shoegaze"]));
    expect(genres(p)).toEqual([
      expect.objectContaining({
        hard: true,
        core: ["shoegaze"],
        source: expect.objectContaining({ kind: "word" }),
      }),
    ]);
    expect(p.notes.join("\n")).not.toMatch(/taxonomy/);
  });

  it("neo soul grooves: soul from the taxonomy, 'grooves' the feel (danceable), not the catalog's groove label", async () => {
    const p = await planQuery("neo soul grooves", context([...LABELS, "soul", "groove"]));
    expect(genres(p)).toEqual([expect.objectContaining({ hard: false, core: ["soul"] })]);
    expect(p.constraints).toContainEqual(
      expect.objectContaining({ field: "danceability", label: "danceable" }),
    );
  });

  it("Chinese pop words read as Mandarin and Cantonese pop from the word table, not the taxonomy's c-pop siblings", async () => {
    for (const q of ["mandarin pop", "c-pop hits", "chinese pop"]) {
      const [g] = genres(await planQuery(q, context(LABELS)));
      expect(g?.hard, q).toBe(true);
      expect(g?.labels, q).not.toContain("j-pop");
      expect(g?.labels, q).toContain("mandopop");
    }
  });

  it("words of the vocabulary keep their meaning; ordinary words are never taxonomy genres", () => {
    const table = buildPhraseTable(LABELS);
    for (const w of ["rock", "sad", "fast", "chill"]) {
      const e = table.map.get(w);
      expect(e?.kind === "genre" && e.taxonomy !== undefined, w).toBe(false);
    }
    for (const w of ["progressive", "noise", "funky", "son"]) {
      const e = table.map.get(normQuery(w));
      expect(e?.kind === "genre" && e.taxonomy !== undefined, w).toBe(false);
    }
  });

  it("catalog evidence: a label most tracks of a core label also carry joins as a partial match, named in the note", async () => {
    const ctx = {
      ...context([...LABELS, "alternative", "metal"]),
      genreOverlap: (label: string) =>
        label === "alt-rock"
          ? [
              { genre: "alternative", share: 0.59 },
              { genre: "metal", share: 0.23 },
            ]
          : [],
    };
    const p = await planQuery("shoegaze songs", ctx);
    const [g] = genres(p);
    expect(g?.core).toEqual(["alt-rock"]);
    expect(g?.labels).toContain("alternative");
    expect(g?.labels).not.toContain("metal");
    expect(p.notes.join("\n")).toMatch(/catalog evidence: alternative \(59% of alt-rock tracks\)/);
  });
});

describe("store genreOverlap (catalog evidence)", () => {
  it("gives the share of a label's tracks that carry each other label, largest first", async () => {
    const store = await filledStore([
      storeTrack("A", { genres: ["alt-rock", "alternative"] }),
      storeTrack("B", { genres: ["alt-rock", "alternative", "metal"] }),
      storeTrack("C", { genres: ["alt-rock"] }),
      storeTrack("D", { genres: ["alt-rock", "metal"] }),
      storeTrack("E", { genres: ["jazz"] }),
    ]);
    try {
      expect(store.genreOverlap("alt-rock")).toEqual([
        { genre: "alternative", share: 0.5 },
        { genre: "metal", share: 0.5 },
      ]);
      expect(store.genreOverlap("jazz")).toEqual([]);
      expect(store.genreOverlap("nothing")).toEqual([]);
    } finally {
      store.close();
    }
  });
});
