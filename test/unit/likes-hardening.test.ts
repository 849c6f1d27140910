import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/domain/progress.js";
import type { TrackRow } from "../../src/domain/track.js";
import { describePending } from "../../src/ingest/pipeline.js";
import {
  CatalogIndex,
  checkLikesFile,
  INDEX_THRESHOLD,
  LIKES_BATCH,
  type LikeEntry,
  type LikeItem,
  likeItems,
  openLikes,
  parseLikeItems,
  parseLikes,
  resolveLikes,
  resolveLikesFile,
  resolveWith,
  storeCatalog,
} from "../../src/likes/likes.js";
import { openStore, type Store } from "../../src/store/store.js";
import { TRACK_DEFAULTS, tempDir, thrown } from "../helpers.js";

const UNHOLY = "3nqQXoyQOWXiESFLlDF1hG";

describe("item 6: JSON fields of the wrong type", () => {
  it("reports a non-string artist as an invalid entry with its line instead of crashing", () => {
    const entries = parseLikes('{"tracks":[{"artist":5,"track":"Creep"}]}', "YourLibrary.json");
    expect(entries).toEqual<LikeEntry[]>([
      {
        kind: "invalid",
        line: 1,
        raw: '{"artist":5,"track":"Creep"}',
        reason: "tracks[0].artist is a number, not text",
      },
    ]);
  });

  it("checks every field and every item, keeping the good ones", () => {
    const text = JSON.stringify({
      tracks: [
        { artist: "Sam Smith", track: "Unholy", uri: `spotify:track:${UNHOLY}` },
        { artist: "Radiohead", track: ["Creep"] },
        { artist: "Radiohead", track: "Creep", uri: { id: 1 } },
        null,
        "Radiohead - Creep",
        [1, 2],
        { artist: null, track: "Creep" },
      ],
    });
    const entries = parseLikes(text, "YourLibrary.json");
    expect(entries.map((e) => [e.line, e.kind])).toEqual([
      [1, "id"],
      [2, "invalid"],
      [3, "invalid"],
      [4, "invalid"],
      [5, "invalid"],
      [6, "invalid"],
      [7, "track"],
    ]);
    const reasons = entries.flatMap((e) => (e.kind === "invalid" ? [e.reason] : []));
    expect(reasons).toEqual([
      "tracks[1].track is a list, not text",
      "tracks[2].uri is an object, not text",
      "tracks[3] is null, not a track object",
      "tracks[4] is a string, not a track object",
      "tracks[5] is a list, not a track object",
    ]);
  });

  it("still refuses a file that is not the export at all", () => {
    expect(thrown(() => parseLikes('{"tracks":5}', "YourLibrary.json")).code).toBe("LIKES_FORMAT");
  });
});

describe("item 7: a CSV row with a broken quote", () => {
  it("reports the broken row with its line and keeps the next one", () => {
    const text = 'artist,title\n"broken,quote\nSam Smith,Unholy\n';
    expect(parseLikes(text, "likes.csv")).toEqual<LikeEntry[]>([
      {
        kind: "invalid",
        line: 2,
        raw: '"broken,quote',
        reason: "broken quoting: a quoted field opened on this row is never closed",
      },
      { kind: "track", line: 3, raw: "Sam Smith - Unholy", artist: "Sam Smith", title: "Unholy" },
    ]);
  });

  it("reports text after a closing quote, and a quote that closes on a later row's first field", () => {
    const text = ["artist,title,x", '"Sam" Smith,Unholy', '"open,one', '"Radiohead",Creep'].join("\n");
    const entries = parseLikes(text, "likes.csv");
    expect(entries.map((e) => [e.line, e.kind])).toEqual([
      [2, "invalid"],
      [3, "invalid"],
      [4, "track"],
    ]);
    expect(entries[2]).toMatchObject({ artist: "Radiohead", title: "Creep" });
  });

  it("still reads a quoted field that spans lines, numbered by its first line", () => {
    const text = 'artist,title\n"Sam\nSmith",Unholy\nRadiohead,Creep\n';
    expect(parseLikes(text, "likes.csv")).toEqual<LikeEntry[]>([
      { kind: "track", line: 2, raw: "Sam\nSmith - Unholy", artist: "Sam\nSmith", title: "Unholy" },
      { kind: "track", line: 4, raw: "Radiohead - Creep", artist: "Radiohead", title: "Creep" },
    ]);
  });

  it("reads doubled quotes inside quoted fields, and tab-separated files", () => {
    expect(parseLikes('artist,title\n"The ""Band""","Song, Part 2"\n', "x.csv")).toEqual([
      {
        kind: "track",
        line: 2,
        raw: 'The "Band" - Song, Part 2',
        artist: 'The "Band"',
        title: "Song, Part 2",
      },
    ]);
    expect(parseLikes("Artist\tTitle\nSam Smith\tUnholy\n", "x.tsv")).toMatchObject([
      { kind: "track", artist: "Sam Smith", title: "Unholy" },
    ]);
  });
});

describe("item 8: lines starting with #", () => {
  it('reads "#Kids - ..." as a song and "# ..." as a comment', () => {
    const items = parseLikeItems(
      "# my likes\n#Kids - Wheels on The Bus\n#\n  # indented\n#1 Crush - Garbage\n",
      "likes.txt",
      "lines",
    );
    expect(items).toEqual<LikeItem[]>([
      { kind: "comment", line: 1, raw: "# my likes" },
      {
        kind: "track",
        line: 2,
        raw: "#Kids - Wheels on The Bus",
        artist: "#Kids",
        title: "Wheels on The Bus",
      },
      { kind: "comment", line: 3, raw: "#" },
      { kind: "comment", line: 4, raw: "# indented" },
      { kind: "track", line: 5, raw: "#1 Crush - Garbage", artist: "#1 Crush", title: "Garbage" },
    ]);
  });

  it("refuses a #word line that is not a like, saying how comments are written", () => {
    const error = thrown(() => parseLikes("#todo\nRadiohead - Creep\n", "likes.txt"));
    expect(error.got).toMatch(/^likes\.txt:1: "#todo"/);
    expect(error.hint).toContain('"# "');
  });
});

function track(id: string, name: string, artists: string[], popularity: number): TrackRow {
  return { id, name, artists, artistIds: [], album: "A", genres: ["rock"], ...TRACK_DEFAULTS, popularity };
}

const id22 = (n: number) => `t${String(n).padStart(21, "0")}`;

/** A small catalog with versions, near-duplicate titles and artists, to compare index and store. */
const CATALOG: TrackRow[] = [
  track(id22(1), "Helena", ["My Chemical Romance"], 70),
  track(id22(2), "Helena - Live", ["My Chemical Romance"], 30),
  track(id22(3), "Helena (2014 Remaster)", ["My Chemical Romance"], 55),
  track(id22(4), "Teenagers", ["My Chemical Romance"], 68),
  track(id22(5), "Creep", ["Radiohead"], 85),
  track(id22(6), "Creep", ["TLC"], 60),
  track(id22(7), "Another Brick in the Wall, Pt. 1", ["Pink Floyd"], 58),
  track(id22(8), "Another Brick in the Wall, Pt. 2", ["Pink Floyd"], 78),
  track(id22(9), "The Unforgiven", ["Metallica"], 75),
  track(id22(10), "The Unforgiven II", ["Metallica"], 60),
  track(id22(11), "Wheels on The Bus", ["#Kids"], 20),
  track(id22(12), "Unholy (feat. Kim Petras)", ["Sam Smith", "Kim Petras"], 90),
  track(id22(13), "Beyoncé Song", ["Beyoncé", "JAY-Z"], 40),
];

const QUERIES: LikeEntry[] = [
  ...[
    ["My Chemical Romance", "Helena"],
    ["my chemical romanse", "Helenna"],
    ["My Chemical Romance", "Helena (Taylor's Version)"],
    ["Radiohed", "Creep"],
    ["TLC", "Creep"],
    ["Daft Punk", "Creep"],
    ["Pink Floid", "Another Brick in the Wall"],
    ["Pink Floyd", "Another Brick in the Wall, Pt. 2"],
    ["Metalica", "The Unforgiven"],
    ["#Kids", "Wheels on The Bus"],
    ["Sam Smith", "Unholy"],
    ["Kim Petras", "Unholy"],
    ["Beyonce", "Beyonce Song"],
    ["jay z", "beyoncé song"],
    ["Paramore", "  "],
    ["Nobody", "Nothing"],
  ].map(
    ([artist, title], i): LikeEntry => ({
      kind: "track",
      line: i + 1,
      raw: `${artist} - ${title}`,
      artist: artist as string,
      title: title as string,
    }),
  ),
  { kind: "id", line: 20, raw: id22(5), id: id22(5) },
  { kind: "id", line: 21, raw: id22(99), id: id22(99) },
  { kind: "artist", line: 22, raw: "my chemical romance", artist: "my chemical romance" },
  { kind: "artist", line: 23, raw: "Radiohed", artist: "Radiohed" },
  { kind: "invalid", line: 24, raw: "x", reason: "broken" },
];

let store: Store;
beforeAll(() => {
  store = openStore(":memory:");
  store.upsertTracks(CATALOG);
  describePending(store);
});

const summary = (r: { status: string; how?: string; reason?: string; tracks: Array<{ id: string }> }) => ({
  status: r.status,
  how: r.how,
  reason: r.reason,
  ids: r.tracks.map((t) => t.id).sort(),
});

describe("item 13: the in-memory catalog index", () => {
  it("resolves every kind of entry exactly as the store queries do", () => {
    const index = new CatalogIndex(store);
    expect(index.size).toBe(CATALOG.length);
    const viaStore = storeCatalog(store);
    for (const e of QUERIES) {
      expect(summary(resolveWith(index, e)), e.raw).toEqual(summary(resolveWith(viaStore, e)));
    }
  });
});

describe("item 13: likes files read as a stream", () => {
  const dir = tempDir();

  it("numbers lines across chunk boundaries exactly as the whole-text parser does", async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) =>
      i % 7 === 0 ? "# note" : i % 11 === 0 ? "" : `Artist ${i} - Title ${i}`,
    );
    const text = `${lines.join("\r\n")}\r\n`;
    const file = join(dir, "long.txt");
    writeFileSync(file, text);
    const streamed: LikeItem[] = [];
    let batches = 0;
    for await (const batch of likeItems(openLikes(file), 1000)) {
      batches++;
      streamed.push(...batch);
    }
    expect(batches).toBeGreaterThan(1);
    expect(streamed).toEqual(parseLikeItems(text, file, "lines"));
  });

  it("resolves a long file in batches against the index, with progress, committing each batch", async () => {
    const n = 3 * LIKES_BATCH + 17;
    expect(n).toBeGreaterThan(INDEX_THRESHOLD);
    const kinds = ["My Chemical Romance - Helena", id22(5), "Nobody - Nothing", "Radiohed - Creep"];
    const lines = Array.from({ length: n }, (_, i) => kinds[i % kinds.length] as string);
    const file = join(dir, "many.txt");
    writeFileSync(file, `# header\n${lines.join("\n")}\n`);
    const events: ProgressEvent[] = [];
    const batches: number[] = [];
    const result = await resolveLikesFile(store, await checkLikesFile(file), {
      progress: (e) => events.push(e),
      onBatch: (items) => batches.push(items.length),
    });
    expect(result.entries).toBe(n);
    expect(result.comments).toBe(1);
    // The same counts as resolving every entry through the store.
    const expected = resolveLikes(store, parseLikes(kinds.join("\n"), "x.txt"));
    const count = (s: string) =>
      expected.resolutions.reduce(
        (sum, r, i) => sum + (r.status === s ? lines.filter((l) => l === kinds[i]).length : 0),
        0,
      );
    expect(result.counts).toEqual({
      matched: count("matched"),
      ambiguous: count("ambiguous"),
      unmatched: count("unmatched"),
      invalid: 0,
    });
    expect(result.rowids.sort()).toEqual([...expected.rowids].sort());
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(count("matched"));
    const reading = events.filter((e) => e.detail === file);
    expect(reading.length).toBe(batches.length);
    expect(reading.at(-1)).toMatchObject({ phase: "parse", done: n, total: n });
    expect(events.some((e) => e.detail === "indexing the catalog")).toBe(true);
    // Details are bounded: every entry of the first 1000, then only the ones not matched.
    expect(result.details.length + result.detailsLeftOut).toBe(n);
    expect(result.details.length).toBeLessThanOrEqual(2000);
  });

  it("refuses a lines file with unreadable lines before resolving anything", async () => {
    const file = join(dir, "bad.txt");
    writeFileSync(file, "Radiohead - Creep\nnot a like\n");
    const error = await checkLikesFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "LIKES_FORMAT", got: expect.stringContaining("bad.txt:2") });
  });

  it("says when the file is missing or a directory", async () => {
    await expect(checkLikesFile(join(dir, "nope.txt"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    await expect(checkLikesFile(dir)).rejects.toMatchObject({ code: "FILE_UNREADABLE" });
  });
});

describe("markdown items with Unicode line separators", () => {
  it("keeps an item whose text holds U+2028 (found by the fuzz test)", () => {
    const items = parseLikeItems("- Radiohead\u2028 - Creep", "notes.md", "markdown");
    expect(items.map((i) => i.line)).toEqual([1]);
  });
});
