import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHashEmbedder, type Embedder } from "../../src/embed/embedder.js";
import { dot, normalize } from "../../src/embed/vectors.js";
import {
  combineChunks,
  deriveThemes,
  enrichLyrics,
  lyricsChunks,
  lyricsHash,
  matchLyricsRow,
  THEMES,
  themeVectors,
} from "../../src/enrich/lyrics/index.js";
import { CatalogIndex } from "../../src/store/match/index.js";
import { openStore } from "../../src/store/store.js";
import { filledStore, storeTrack, tempDir } from "../helpers.js";

const v = (...xs: number[]) => normalize(Float32Array.from(xs));

describe("lyrics chunks", () => {
  it("packs stanzas into chunks of at most the word limit, in order", () => {
    const text = "one two three\r\nfour five\r\n\r\nsix seven eight nine\n\nten";
    expect(lyricsChunks(text, 9)).toEqual([
      { text: "one two three\nfour five\nsix seven eight nine", words: 9 },
      { text: "ten", words: 1 },
    ]);
    expect(lyricsChunks(text, 5).map((c) => c.words)).toEqual([5, 5]);
  });

  it("splits a stanza longer than a chunk between its lines, and keeps at most maxChunks", () => {
    const stanza = Array.from({ length: 10 }, (_, i) => `line ${i} has five words`).join("\n");
    const chunks = lyricsChunks(stanza, 12, 3);
    expect(chunks).toHaveLength(3);
    for (const c of chunks) expect(c.words).toBeLessThanOrEqual(12);
    expect(chunks[0]?.text.split("\n")).toEqual(["line 0 has five words", "line 1 has five words"]);
  });

  it("has no chunk for text without words", () => {
    expect(lyricsChunks("  \r\n\r\n ")).toEqual([]);
  });

  it("combines chunk vectors as their mean weighted by words, of length 1", () => {
    const combined = combineChunks([v(1, 0), v(0, 1)], [30, 10]);
    expect(Array.from(combined).map((x) => Math.round(x * 1000) / 1000)).toEqual([0.949, 0.316]);
    expect(dot(combined, combined)).toBeCloseTo(1, 5);
  });

  it("hashes the lyrics' words and lines, the model and the vocabulary, not their spacing", () => {
    const a = lyricsHash("la la\r\n\r\nlo  \n", "m", "1");
    expect(lyricsHash("  la la\n\n\nlo", "m", "1")).toBe(a);
    expect(lyricsHash("la la\n\nlu", "m", "1")).not.toBe(a);
    expect(lyricsHash("la la\n\nlo", "other", "1")).not.toBe(a);
    expect(lyricsHash("la la\n\nlo", "m", "2")).not.toBe(a);
  });
});

describe("theme derivation", () => {
  const themes = new Map([
    ["love", v(1, 0, 0)],
    ["heartbreak", v(0.9, 0.44, 0)],
    ["the sea", v(0, 0, 1)],
  ]);

  it("keeps the themes near the best one and above the minimum, best first", () => {
    const rule = { minSimilarity: 0.3, margin: 0.1, max: 3 };
    expect(deriveThemes(v(1, 0.1, 0), themes, rule)).toEqual(["love", "heartbreak"]);
    expect(deriveThemes(v(0.1, 0, 1), themes, rule)).toEqual(["the sea"]);
    expect(deriveThemes(v(0, 1, 0), themes, { ...rule, minSimilarity: 0.5 })).toEqual([]);
    expect(deriveThemes(v(1, 0.1, 0), themes, { ...rule, max: 1 })).toEqual(["love"]);
  });

  it("embeds each prototype line once per model, keeping them in the concept cache", async () => {
    const store = openStore(":memory:");
    const hash = createHashEmbedder(64);
    let embedded = 0;
    const counting: Embedder = {
      ...hash,
      embed: (texts, kind) => {
        embedded += texts.length;
        return hash.embed(texts, kind);
      },
    };
    const first = await themeVectors(counting, store);
    const lines = new Set(THEMES.flatMap((t) => t.prototypes)).size;
    expect(embedded).toBe(lines);
    expect([...first.keys()]).toEqual(THEMES.map((t) => t.name));
    const again = await themeVectors(counting, store);
    expect(embedded).toBe(lines);
    expect(Array.from(again.get("the sea") ?? [])).toEqual(Array.from(first.get("the sea") ?? []));
    store.close();
  });
});

const CATALOG = [
  storeTrack("1", { name: "Waterloo", artists: ["ABBA"], popularity: 70 }),
  storeTrack("2", { name: "Waterloo - 2014 Remaster", artists: ["ABBA"], popularity: 40 }),
  storeTrack("3", { name: "Super Trouper", artists: ["ABBA"] }),
  storeTrack("4", { name: "Rasputin", artists: ["Boney M."], popularity: 60 }),
  storeTrack("5", { name: "Rasputin", artists: ["Majestic", "Boney M."], popularity: 65 }),
  storeTrack("6", { name: "Pink Moon", artists: ["Nick Drake"] }),
  storeTrack("7", { name: "Children of the Grave", artists: ["Black Sabbath"] }),
];

describe("matching lyrics rows", async () => {
  const store = await filledStore(CATALOG);
  const catalog = new CatalogIndex(store);
  const names = (m: ReturnType<typeof matchLyricsRow>) =>
    m.tracks.map((t) => `${t.artists.join(", ")} - ${t.name}`);

  it("matches exactly by normalized artist and title", () => {
    const m = matchLyricsRow(catalog, "abba", "WATERLOO");
    expect(m).toMatchObject({ status: "matched", how: "exact" });
    expect(names(m)).toEqual(["ABBA - Waterloo"]);
  });

  it("matches a misspelt title by the right artist fuzzily, but not a merely similar title", () => {
    expect(matchLyricsRow(catalog, "ABBA", "Super Truper")).toMatchObject({
      status: "matched",
      how: "fuzzy",
    });
    expect(matchLyricsRow(catalog, "Black Sabbath", "Children Of The Sea").status).toBe("unmatched");
  });

  it("never matches a perfect title by another artist", () => {
    const m = matchLyricsRow(catalog, "Bob Dylan", "Pink Moon");
    expect(m.status).toBe("unmatched");
    expect(m.reason).toContain("Bob Dylan");
  });

  it("gives one song's lyrics to its versions with other artists too", () => {
    const m = matchLyricsRow(catalog, "Boney M.", "Rasputin");
    expect(m.status).toBe("matched");
    expect(names(m).sort()).toEqual(["Boney M. - Rasputin", "Majestic, Boney M. - Rasputin"]);
  });
});

/** A lyrics CSV in the Million Song Dataset's layout, lyrics quoted over several lines. */
function lyricsFile(dir: string, rows: Array<[string, string, string]>): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const body = rows.map(([a, s, t]) => `${quote(a)},${quote(s)},/x/${s.length}.html,${quote(t)}`).join("\n");
  const path = join(dir, "lyrics.csv");
  writeFileSync(path, `artist,song,link,text\n${body}\n`);
  return path;
}

const SEA = THEMES.find((t) => t.name === "the sea")?.prototypes.join("  \r\n") ?? "";
const MONEY = THEMES.find((t) => t.name === "money")?.prototypes.join("  \r\n") ?? "";

describe("enrichLyrics", () => {
  it("stores vectors, themes and hashes for every version of each matched song, and lists the rest", async () => {
    const dir = tempDir();
    const file = lyricsFile(dir, [
      ["ABBA", "Waterloo", `${SEA}\r\n\r\n${SEA}`],
      ["ABBA", "Money, Money, Money", MONEY],
      ["Boney M.", "Rasputin", MONEY],
      ["ABBA", "Waterloo (Live)", SEA],
      ["Nick Drake", "Pink Moon", ""],
    ]);
    const store = await filledStore(CATALOG);
    const embedder = createHashEmbedder(64);
    const unmatchedPath = join(dir, "unmatched.jsonl");
    const s = await enrichLyrics({ file, store, embedder, unmatchedPath, batchChunks: 1 });
    expect(s).toMatchObject({ rows: 5, matched: 2, unmatched: 1, duplicate: 1, invalid: 1, ambiguous: 0 });
    expect(s).toMatchObject({ tracks: 4, stored: 4, unchanged: 0, totalWithLyrics: 4, matchRate: 0.4 });
    const lyrics = store.lyricsOf([1, 2, 3, 4, 5], embedder.model);
    expect([...lyrics.keys()].sort()).toEqual([1, 2, 4, 5]);
    expect(lyrics.get(1)?.themes[0]).toBe("the sea");
    expect(lyrics.get(2)?.themes).toEqual(lyrics.get(1)?.themes);
    expect(lyrics.get(4)?.themes[0]).toBe("money");
    const misses = readFileSync(unmatchedPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // Lines of the file, where each row starts (lyrics span lines): rows start at 2, 9, 11, 13 and 16.
    expect(misses.map((m) => [m.line, m.status])).toEqual([
      [9, "unmatched"],
      [13, "duplicate"],
      [16, "invalid"],
    ]);
    expect(misses[1].reason).toContain("line 2");
    // The lyrics text is nowhere in the database.
    const nearest = store.nearestLyrics(
      (await embedder.embed([SEA], "document"))[0] as Float32Array,
      2,
      embedder.model,
    );
    expect(nearest.map((n) => n.rowid).sort()).toEqual([1, 2]);

    const again = await enrichLyrics({ file, store, embedder, unmatchedPath });
    expect(again).toMatchObject({ matched: 2, stored: 0, unchanged: 4, chunks: 0 });
    store.close();
  });

  it("keeps the batches stored before a failure, and a rerun finishes the rest", async () => {
    const dir = tempDir();
    const file = lyricsFile(dir, [
      ["ABBA", "Waterloo", SEA],
      ["Boney M.", "Rasputin", MONEY],
      ["Nick Drake", "Pink Moon", SEA],
    ]);
    const store = await filledStore(CATALOG);
    const hash = createHashEmbedder(64);
    let calls = 0;
    // Theme vectors are the first call, then one call per batch: the second batch fails.
    const failing: Embedder = {
      ...hash,
      embed: (texts, kind) => {
        if (++calls === 3) throw new Error("killed");
        return hash.embed(texts, kind);
      },
    };
    const unmatchedPath = join(dir, "u.jsonl");
    await expect(
      enrichLyrics({ file, store, embedder: failing, unmatchedPath, batchChunks: 1 }),
    ).rejects.toThrow("killed");
    expect(store.lyricsCount(hash.model)).toBe(2);
    const rerun = await enrichLyrics({ file, store, embedder: hash, unmatchedPath, batchChunks: 1 });
    expect(rerun).toMatchObject({ matched: 3, unchanged: 2, stored: 3, totalWithLyrics: 5 });
    store.close();
  });

  it("refuses lyrics vectors of another model than the catalog's, and a file without the lyrics columns", async () => {
    const dir = tempDir();
    const store = await filledStore(CATALOG);
    const file = lyricsFile(dir, [["ABBA", "Waterloo", SEA]]);
    const options = { file, store, unmatchedPath: join(dir, "u.jsonl") };
    await expect(enrichLyrics({ ...options, embedder: createHashEmbedder(32) })).rejects.toMatchObject({
      code: "MODEL_MISMATCH",
    });
    const wrong = join(dir, "wrong.csv");
    writeFileSync(wrong, "artist,title,lyrics\nABBA,Waterloo,la\n");
    const e = await enrichLyrics({ ...options, file: wrong, embedder: createHashEmbedder(64) }).catch(
      (x) => x,
    );
    expect(e).toMatchObject({ code: "LYRICS_FORMAT" });
    expect(e.got).toContain("without song, text");
    expect(store.lyricsCount("hash-64")).toBe(0);
    store.close();
  });
});

describe("the lyrics store", () => {
  it("keeps records per model, replaces them, and finds the nearest by cosine similarity", () => {
    const store = openStore(":memory:");
    store.upsertTracks([storeTrack("1"), storeTrack("2"), storeTrack("3")]);
    const rec = (rowid: number, vector: Float32Array, model = "m") => ({
      rowid,
      hash: `h${rowid}`,
      model,
      vector,
      themes: ["love"],
      chunks: 1,
    });
    store.saveLyrics([rec(1, v(1, 0)), rec(2, v(0.6, 0.8)), rec(3, v(0, 1), "other")]);
    expect(store.lyricsCount("m")).toBe(2);
    expect(store.lyricsHashes([1, 2, 3, 9])).toEqual(
      new Map([
        [1, "h1"],
        [2, "h2"],
        [3, "h3"],
      ]),
    );
    expect([...store.lyricsOf([1, 2, 3], "m").keys()]).toEqual([1, 2]);
    const near = store.nearestLyrics(v(0, 1), 5, "m");
    expect(near.map((n) => n.rowid)).toEqual([2, 1]);
    expect(near[0]?.similarity).toBeCloseTo(0.8, 5);
    store.saveLyrics([{ ...rec(1, v(0, 1)), hash: "new", themes: ["the sea"] }]);
    expect(store.lyricsHashes([1]).get(1)).toBe("new");
    expect(store.lyricsOf([1], "m").get(1)?.themes).toEqual(["the sea"]);
    expect(store.nearestLyrics(v(0, 1), 1, "m")[0]?.rowid).toBe(1);
    store.close();
  });
});
