import { describe, expect, it } from "vitest";
import { detectLikesFormat, type LikeEntry, parseLikes, trackIdOf } from "../../src/likes/likes.js";
import { thrown } from "../helpers.js";

// Real-shaped Spotify track ids (22 characters of [0-9A-Za-z]).
const HELENA = "5dTHtzHFPyi8TlTtzoz1J9";
const DECODE = "3e0yTP5trHBBVvV32jwXqF";
const MISERY = "6SpLc7EXZIPpy0sVko0aoU";

describe("trackIdOf", () => {
  it("reads a bare id, a spotify:track: URI and open.spotify.com URLs", () => {
    expect(trackIdOf(HELENA)).toBe(HELENA);
    expect(trackIdOf(`  ${HELENA}  `)).toBe(HELENA);
    expect(trackIdOf(`spotify:track:${HELENA}`)).toBe(HELENA);
    expect(trackIdOf(`https://open.spotify.com/track/${HELENA}`)).toBe(HELENA);
    expect(trackIdOf(`https://open.spotify.com/track/${HELENA}?si=1a2b3c4d5e6f`)).toBe(HELENA);
    expect(trackIdOf(`https://open.spotify.com/intl-de/track/${HELENA}`)).toBe(HELENA);
    expect(trackIdOf(`https://open.spotify.com/intl-ja/track/${HELENA}?si=abc`)).toBe(HELENA);
  });

  it("returns null for anything that is not a track id", () => {
    expect(trackIdOf("")).toBeNull();
    expect(trackIdOf("My Chemical Romance - Helena")).toBeNull();
    expect(trackIdOf(HELENA.slice(1))).toBeNull(); // 21 characters
    expect(trackIdOf(`${HELENA.slice(0, 21)}-`)).toBeNull();
    expect(trackIdOf(`spotify:album:${HELENA}`)).toBeNull();
    expect(trackIdOf(`https://open.spotify.com/album/${HELENA}`)).toBeNull();
    expect(trackIdOf(`https://open.spotify.com/playlist/${HELENA}`)).toBeNull();
  });

  it("does not cut a 22-character id out of a longer token", () => {
    expect(trackIdOf(`spotify:track:${HELENA}X`)).toBeNull();
    expect(trackIdOf(`https://open.spotify.com/track/${HELENA}X`)).toBeNull();
  });
});

describe("detectLikesFormat", () => {
  it("goes by the extension", () => {
    expect(detectLikesFormat("likes.txt", "A - B")).toBe("lines");
    expect(detectLikesFormat("likes", "A - B")).toBe("lines");
    expect(detectLikesFormat("export.csv", "a,b")).toBe("csv");
    expect(detectLikesFormat("Export.CSV", "a,b")).toBe("csv");
    expect(detectLikesFormat("export.tsv", "a\tb")).toBe("csv");
    expect(detectLikesFormat("YourLibrary.json", '{"tracks":[]}')).toBe("spotify-library");
    expect(detectLikesFormat("notes.md", "# Songs")).toBe("markdown");
    expect(detectLikesFormat("notes.markdown", "# Songs")).toBe("markdown");
  });

  it("recognizes JSON by its content whatever the name", () => {
    expect(detectLikesFormat("likes.txt", '  {"tracks": []}')).toBe("spotify-library");
  });
});

describe("parseLikes: plain lines", () => {
  it('reads "Artist - Title" with line numbers, skipping comments and blank lines', () => {
    const text = [
      "# my likes",
      "",
      "My Chemical Romance - Helena",
      "   ",
      "  # indented comment",
      "Paramore - Decode  ",
    ].join("\n");
    expect(parseLikes(text, "likes.txt")).toEqual<LikeEntry[]>([
      {
        kind: "track",
        line: 3,
        raw: "My Chemical Romance - Helena",
        artist: "My Chemical Romance",
        title: "Helena",
      },
      { kind: "track", line: 6, raw: "Paramore - Decode", artist: "Paramore", title: "Decode" },
    ]);
  });

  it('splits at the first " - ", so titles may contain one', () => {
    expect(parseLikes("Queen - Bohemian Rhapsody - Remastered 2011")).toEqual([
      {
        kind: "track",
        line: 1,
        raw: "Queen - Bohemian Rhapsody - Remastered 2011",
        artist: "Queen",
        title: "Bohemian Rhapsody - Remastered 2011",
      },
    ]);
  });

  it("accepts en and em dashes and keeps unspaced hyphens inside names", () => {
    const entries = parseLikes(
      "My Chemical Romance – Helena\nJay-Z — 99 Problems\nblink-182 - All the Small Things",
    );
    expect(entries.map((e) => (e.kind === "track" ? [e.artist, e.title] : null))).toEqual([
      ["My Chemical Romance", "Helena"],
      ["Jay-Z", "99 Problems"],
      ["blink-182", "All the Small Things"],
    ]);
  });

  it('reads "Title by Artist"', () => {
    expect(parseLikes("Teenagers by My Chemical Romance")).toEqual([
      {
        kind: "track",
        line: 1,
        raw: "Teenagers by My Chemical Romance",
        artist: "My Chemical Romance",
        title: "Teenagers",
      },
    ]);
  });

  it('splits "Title by Artist" at the last " by ", since titles contain "by" more often than artists', () => {
    expect(parseLikes("Stand by Me by Ben E. King")).toEqual([
      {
        kind: "track",
        line: 1,
        raw: "Stand by Me by Ben E. King",
        artist: "Ben E. King",
        title: "Stand by Me",
      },
    ]);
  });

  it("prefers the dash form when a line has both", () => {
    expect(parseLikes("Ben E. King - Stand by Me")).toEqual([
      {
        kind: "track",
        line: 1,
        raw: "Ben E. King - Stand by Me",
        artist: "Ben E. King",
        title: "Stand by Me",
      },
    ]);
  });

  it("reads bare ids, spotify:track: URIs and open.spotify.com URLs as id entries", () => {
    const text = [
      HELENA,
      `spotify:track:${DECODE}`,
      `https://open.spotify.com/track/${MISERY}?si=abc`,
      `https://open.spotify.com/intl-de/track/${HELENA}`,
    ].join("\n");
    expect(parseLikes(text)).toEqual<LikeEntry[]>([
      { kind: "id", line: 1, raw: HELENA, id: HELENA },
      { kind: "id", line: 2, raw: `spotify:track:${DECODE}`, id: DECODE },
      { kind: "id", line: 3, raw: `https://open.spotify.com/track/${MISERY}?si=abc`, id: MISERY },
      { kind: "id", line: 4, raw: `https://open.spotify.com/intl-de/track/${HELENA}`, id: HELENA },
    ]);
  });

  it("handles CRLF line endings", () => {
    expect(parseLikes(`Paramore - Decode\r\n# c\r\nspotify:track:${HELENA}\r\n`)).toEqual<LikeEntry[]>([
      { kind: "track", line: 1, raw: "Paramore - Decode", artist: "Paramore", title: "Decode" },
      { kind: "id", line: 3, raw: `spotify:track:${HELENA}`, id: HELENA },
    ]);
  });

  it("returns nothing for an empty or comment-only file", () => {
    expect(parseLikes("")).toEqual([]);
    expect(parseLikes("# nothing yet\n\n")).toEqual([]);
  });

  it("throws LIKES_FORMAT listing every malformed line as file:line", () => {
    const text = [
      "Paramore - Decode",
      "no separator here",
      "Artist -",
      "- Title only",
      "Dash-NoSpaces",
      `https://open.spotify.com/album/${HELENA}`,
    ].join("\n");
    const error = thrown(() => parseLikes(text, "likes.txt"));
    expect(error.code).toBe("LIKES_FORMAT");
    expect(error.message).toContain("likes.txt: 5 line(s)");
    const got = error.got.split("; ");
    expect(got).toHaveLength(5);
    expect(got.map((g) => g.slice(0, g.indexOf(": ")))).toEqual([
      "likes.txt:2",
      "likes.txt:3",
      "likes.txt:4",
      "likes.txt:5",
      "likes.txt:6",
    ]);
    expect(got[0]).toContain('"no separator here"');
    expect(got[4]).toContain(`open.spotify.com/album/${HELENA}`);
    expect(error.hint).toMatch(/My Chemical Romance - Helena/);
  });

  it("numbers malformed lines by their place in a CRLF file", () => {
    const error = thrown(() => parseLikes("Paramore - Decode\r\n\r\noops\r\n", "win.txt"));
    expect(error.got).toMatch(/^win\.txt:3: "oops"/);
  });

  it("lists at most five malformed lines, then how many more", () => {
    const text = ["Paramore - Decode", ...Array.from({ length: 7 }, (_, i) => `bad${i}`)].join("\n");
    const error = thrown(() => parseLikes(text));
    expect(error.message).toContain("likes: 7 line(s)");
    expect(error.got).toContain('likes:2: "bad0"');
    expect(error.got).toContain('likes:6: "bad4"');
    expect(error.got).not.toContain("bad5");
    expect(error.got).toMatch(/; and 2 more$/);
  });

  it("does not add 'and N more' for exactly five", () => {
    const error = thrown(() => parseLikes(Array.from({ length: 5 }, (_, i) => `bad${i}`).join("\n")));
    expect(error.got).not.toContain("more");
    expect(error.got.split("; ")).toHaveLength(5);
  });
});

describe("parseLikes: playlist CSV exports", () => {
  const EXPORTIFY = [
    '"Track URI","Track Name","Artist Name(s)","Album Name","Added At"',
    `"spotify:track:${HELENA}","Helena","My Chemical Romance","Three Cheers for Sweet Revenge","2020-01-01T00:00:00Z"`,
    `"spotify:track:${DECODE}","Decode","Paramore","Twilight (Original Motion Picture Soundtrack)","2020-02-03T10:11:12Z"`,
    '"","Numb / Encore","JAY-Z, Linkin Park","Collision Course","2021-05-06T07:08:09Z"',
  ].join("\n");

  it("reads an Exportify export: URIs as id entries, a row without a URI by artist and title", () => {
    expect(parseLikes(EXPORTIFY, "export.csv")).toEqual<LikeEntry[]>([
      { kind: "id", line: 2, raw: "My Chemical Romance - Helena", id: HELENA },
      { kind: "id", line: 3, raw: "Paramore - Decode", id: DECODE },
      // Several artists: the first is the one to match on.
      { kind: "track", line: 4, raw: "JAY-Z - Numb / Encore", artist: "JAY-Z", title: "Numb / Encore" },
    ]);
  });

  it("accepts CRLF, a byte-order mark and a trailing newline", () => {
    const text = `\uFEFF${EXPORTIFY.split("\n").join("\r\n")}\r\n`;
    expect(parseLikes(text, "export.csv")).toEqual(parseLikes(EXPORTIFY, "export.csv"));
  });

  it("reads open.spotify.com URLs in the URI column", () => {
    const text = [
      "Spotify URL,Track Name,Artist",
      `https://open.spotify.com/track/${MISERY}?si=x,Misery Business,Paramore`,
    ].join("\n");
    expect(parseLikes(text, "urls.csv")).toEqual([
      { kind: "id", line: 2, raw: "Paramore - Misery Business", id: MISERY },
    ]);
  });

  it("reads a CSV with only artist and title columns", () => {
    const text = ["artist,title", "Radiohead,Creep", "TLC,Creep"].join("\n");
    const entries = parseLikes(text, "export.csv");
    expect(entries).toEqual<LikeEntry[]>([
      { kind: "track", line: 2, raw: "Radiohead - Creep", artist: "Radiohead", title: "Creep" },
      { kind: "track", line: 3, raw: "TLC - Creep", artist: "TLC", title: "Creep" },
    ]);
  });

  it("reads a semicolon-separated CSV", () => {
    expect(parseLikes("Artist;Title\nParamore;Decode\n", "export.csv")).toEqual([
      { kind: "track", line: 2, raw: "Paramore - Decode", artist: "Paramore", title: "Decode" },
    ]);
  });

  it("skips blank rows and keeps each row's own line number", () => {
    const text = ["artist,title", "Radiohead,Creep", "", "TLC,Creep"].join("\n");
    expect(parseLikes(text, "export.csv").map((e) => e.line)).toEqual([2, 4]);
  });

  it("returns nothing for an empty CSV", () => {
    expect(parseLikes("", "export.csv")).toEqual([]);
  });

  it("throws LIKES_FORMAT naming the columns found when there is no URI and no artist+title", () => {
    const error = thrown(() => parseLikes("Album,Year,Plays\nRiot!,2007,12\n", "export.csv"));
    expect(error.code).toBe("LIKES_FORMAT");
    expect(error.message).toContain("export.csv");
    expect(error.got).toBe("columns album, year, plays");
  });

  it("throws LIKES_FORMAT when only one of artist and title is there", () => {
    const error = thrown(() => parseLikes("Track Name,Album Name\nHelena,Three Cheers\n", "export.csv"));
    expect(error.code).toBe("LIKES_FORMAT");
    expect(error.got).toBe("columns track name, album name");
  });
});

describe("parseLikes: Spotify account export (YourLibrary.json)", () => {
  const LIBRARY = JSON.stringify(
    {
      tracks: [
        { artist: "Paramore", album: "Riot!", track: "Misery Business", uri: `spotify:track:${MISERY}` },
        { artist: "X", album: "Y", track: "Z" },
      ],
      albums: [],
      shows: [],
    },
    null,
    2,
  );

  it("reads tracks with a URI as id entries and the rest by artist and title", () => {
    expect(parseLikes(LIBRARY, "YourLibrary.json")).toEqual<LikeEntry[]>([
      { kind: "id", line: 1, raw: "Paramore - Misery Business", id: MISERY },
      { kind: "track", line: 2, raw: "X - Z", artist: "X", title: "Z" },
    ]);
  });

  it("is detected from the content even without a .json name", () => {
    expect(parseLikes(LIBRARY, "library.txt")).toHaveLength(2);
  });

  it("returns nothing for an empty library", () => {
    expect(parseLikes('{"tracks":[]}', "YourLibrary.json")).toEqual([]);
  });

  it('throws LIKES_FORMAT without a "tracks" list, naming the keys found', () => {
    const error = thrown(() => parseLikes('{"albums":[],"shows":[]}', "YourLibrary.json"));
    expect(error.code).toBe("LIKES_FORMAT");
    expect(error.message).toContain('no "tracks" list');
    expect(error.got).toBe("top-level keys albums, shows");
    expect(thrown(() => parseLikes('{"tracks":{}}', "YourLibrary.json")).code).toBe("LIKES_FORMAT");
  });

  it("throws LIKES_FORMAT for invalid JSON", () => {
    const error = thrown(() => parseLikes('{"tracks": [', "YourLibrary.json"));
    expect(error.code).toBe("LIKES_FORMAT");
    expect(error.message).toBe("YourLibrary.json is not valid JSON");
  });

  it("throws LIKES_FORMAT (not a TypeError) for JSON that is not an object", () => {
    expect(thrown(() => parseLikes("null", "YourLibrary.json")).code).toBe("LIKES_FORMAT");
    expect(thrown(() => parseLikes("[1, 2]", "YourLibrary.json")).code).toBe("LIKES_FORMAT");
  });
});

describe("parseLikes: Markdown notes", () => {
  const NOTES = [
    "# Favourite songs",
    "",
    "Stuff I keep coming back to, in no particular order.",
    "- My Chemical Romance - Helena",
    "* Teenagers by My Chemical Romance",
    `1. [Decode](https://open.spotify.com/track/${DECODE})`,
    "",
    "Also this table from my old blog:",
    "",
    "| Artist | Title |",
    "|---|---|",
    "| Paramore | Decode |",
    "",
    "---",
    "",
    "## Artists I love",
    "",
    "- Radiohead",
  ].join("\n");

  it("reads list items, links and table rows, and artists under an artists heading", () => {
    expect(parseLikes(NOTES, "notes.md")).toEqual<LikeEntry[]>([
      {
        kind: "track",
        line: 4,
        raw: "My Chemical Romance - Helena",
        artist: "My Chemical Romance",
        title: "Helena",
      },
      {
        kind: "track",
        line: 5,
        raw: "Teenagers by My Chemical Romance",
        artist: "My Chemical Romance",
        title: "Teenagers",
      },
      { kind: "id", line: 6, raw: "Decode", id: DECODE },
      { kind: "track", line: 12, raw: "Paramore - Decode", artist: "Paramore", title: "Decode" },
      { kind: "artist", line: 18, raw: "Radiohead", artist: "Radiohead" },
    ]);
  });

  it("ignores headings, prose, table headers, separators and rules", () => {
    const lines = parseLikes(NOTES, "notes.md").map((e) => e.line);
    for (const ignored of [1, 3, 8, 10, 11, 14, 16]) expect(lines).not.toContain(ignored);
  });

  it("reads task items, emphasis, numbered items with ) and bare URLs", () => {
    const text = [
      "- [x] **Paramore** - Misery Business",
      "- [ ] Helena by _My Chemical Romance_",
      `2) https://open.spotify.com/track/${HELENA}?si=abc`,
      `+ spotify:track:${DECODE}`,
    ].join("\n");
    expect(parseLikes(text, "todo.md")).toEqual<LikeEntry[]>([
      {
        kind: "track",
        line: 1,
        raw: "Paramore - Misery Business",
        artist: "Paramore",
        title: "Misery Business",
      },
      {
        kind: "track",
        line: 2,
        raw: "Helena by My Chemical Romance",
        artist: "My Chemical Romance",
        title: "Helena",
      },
      { kind: "id", line: 3, raw: `https://open.spotify.com/track/${HELENA}?si=abc`, id: HELENA },
      { kind: "id", line: 4, raw: `spotify:track:${DECODE}`, id: DECODE },
    ]);
  });

  it("lists a lone name outside an artists section as an artist rather than dropping it", () => {
    expect(parseLikes("# Songs\n- Radiohead\n", "notes.md")).toEqual<LikeEntry[]>([
      { kind: "artist", line: 2, raw: "Radiohead", artist: "Radiohead" },
    ]);
  });

  it('treats a "Bands" heading as an artists section', () => {
    expect(parseLikes("## Bands\n- Linkin Park\n- Paramore\n", "notes.md")).toEqual<LikeEntry[]>([
      { kind: "artist", line: 2, raw: "Linkin Park", artist: "Linkin Park" },
      { kind: "artist", line: 3, raw: "Paramore", artist: "Paramore" },
    ]);
  });

  it("uses a table's header to tell the artist column from the title column", () => {
    const text = ["| Title | Artist |", "| --- | --- |", "| Decode | Paramore |"].join("\n");
    expect(parseLikes(text, "notes.md")).toEqual<LikeEntry[]>([
      { kind: "track", line: 3, raw: "Paramore - Decode", artist: "Paramore", title: "Decode" },
    ]);
  });

  it("returns nothing for notes without lists", () => {
    expect(parseLikes("# Songs\n\nNothing here yet.\n", "notes.md")).toEqual([]);
  });
});
