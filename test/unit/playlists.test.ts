import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/likes/csv.js";
import {
  checkPlaylistName,
  deletePlaylist,
  diffPlaylists,
  EXPORTIFY_COLUMNS,
  exportFormat,
  exportPlaylist,
  formatOfPath,
  getPlaylist,
  listPlaylists,
  type Playlist,
  type PlaylistSource,
  type PlaylistTrack,
  playlistTrack,
  savePlaylist,
  xmlEscape,
} from "../../src/playlists/index.js";
import { openStore, type StoredTrack } from "../../src/store/store.js";
import { TRACK_DEFAULTS, thrown } from "../helpers.js";

const SOURCE: PlaylistSource = {
  query: "dark & <loud> techno",
  limit: 10,
  filters: { ranges: { tempo: { min: 120 } } },
  versions: false,
  likesFrom: null,
  plan: null,
  picked: false,
};

const t = (id: string, over: Partial<PlaylistTrack> = {}): PlaylistTrack => ({
  id,
  name: `Song ${id}`,
  artists: ["Artist"],
  album: "Album",
  durationMs: 201_400,
  genres: ["techno"],
  releaseDate: null,
  popularity: 40,
  explicit: false,
  ...over,
});

/** Tracks whose text needs care in every format. */
const AWKWARD: PlaylistTrack[] = [
  t("0000000000000000000001", { name: 'Our House, "Live"', artists: ["Crosby, Stills, Nash & Young", "Él"] }),
  t("0000000000000000000002", { name: "<Tag> & 'Apostrophe'", album: null, artists: ["A\nB"] }),
  t("0000000000000000000003", { name: "Line\r\nBreak, comma", genres: ["hip-hop", "r&b"], explicit: true }),
  t("0000000000000000000004", { name: "Control\u0001Char 🎧", durationMs: 59_600 }),
];

function playlistOf(tracks: PlaylistTrack[], name = "Mix & <Match>"): Playlist {
  return {
    name,
    source: SOURCE,
    tracks,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-02T00:00:00.000Z",
  };
}

/** The ids an M3U8 lists, read as a player would: every line that is not a comment. */
function m3uIds(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => l.replace(/^spotify:track:/, ""));
}

/** A small XML reader: checks well-formedness (nesting, entities) and returns each track's elements. */
function parseXspf(xml: string): Array<Record<string, string>> {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  const stack: string[] = [];
  const tracks: Array<Record<string, string>> = [];
  const tokens = body.match(/<[^>]*>|[^<]+/g) ?? [];
  let current: Record<string, string> | null = null;
  let text = "";
  for (const tok of tokens) {
    if (tok.startsWith("</")) {
      const name = tok.slice(2, -1);
      expect(stack.pop()).toBe(name);
      if (name === "track") {
        tracks.push(current ?? {});
        current = null;
      } else if (current && stack.at(-1) === "track") current[name] = text;
      text = "";
    } else if (tok.startsWith("<")) {
      const name = /^<([a-zA-Z]+)/.exec(tok)?.[1] ?? "";
      stack.push(name);
      if (name === "track") current = {};
      text = "";
    } else {
      expect(tok).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
      expect(tok).not.toMatch(/[<>]/);
      text = tok
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, "&");
    }
  }
  expect(stack).toEqual([]);
  return tracks;
}

/** RFC 4180 records (quoted fields may hold line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let pending = "";
  for (const line of text.split("\n")) {
    pending = pending ? `${pending}\n${line}` : line;
    if (pending === "") continue;
    const r = tokenize(pending, ",");
    if (r.ok) {
      records.push(r.fields);
      pending = "";
    }
  }
  expect(pending).toBe("");
  return records;
}

describe("playlist names and the library", () => {
  it("accepts 1..100 characters and refuses empty, blank, longer and control-character names", () => {
    expect(checkPlaylistName("a")).toBe("a");
    expect(checkPlaylistName("é".repeat(100))).toHaveLength(100);
    expect(checkPlaylistName("🎧".repeat(100))).toBe("🎧".repeat(100));
    for (const bad of ["", "   ", "x".repeat(101), "tab\there", "new\nline"])
      expect(thrown(() => checkPlaylistName(bad)).code).toBe("USAGE");
  });

  it("saves (replacing a same-named one, one entry per track), reads, lists and deletes", () => {
    const store = openStore(":memory:");
    const saved = savePlaylist(store, "mix", SOURCE, [t("1"), t("2"), t("1")]);
    expect(saved.tracks.map((x) => x.id)).toEqual(["1", "2"]);
    expect(saved.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(getPlaylist(store, "mix")).toEqual(saved);
    savePlaylist(store, "mix", { ...SOURCE, query: "other" }, [t("3")]);
    expect(getPlaylist(store, "mix").tracks.map((x) => x.id)).toEqual(["3"]);
    expect(listPlaylists(store)).toEqual([
      { name: "mix", tracks: 1, query: "other", updatedAt: getPlaylist(store, "mix").updatedAt },
    ]);
    expect(thrown(() => savePlaylist(store, "", SOURCE, [])).code).toBe("USAGE");
    const missing = thrown(() => getPlaylist(store, "Mix"));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.got).toContain('"mix"');
    expect(deletePlaylist(store, "mix")).toBe(true);
    expect(deletePlaylist(store, "mix")).toBe(false);
    expect(thrown(() => getPlaylist(store, "mix")).got).toBe("no playlists yet");
    store.close();
  });

  it("keeps what exports need from a catalog track", () => {
    const stored: StoredTrack = {
      ...TRACK_DEFAULTS,
      rowid: 7,
      id: "0000000000000000000007",
      name: "Take Five",
      artists: ["The Dave Brubeck Quartet"],
      artistIds: ["x"],
      album: null,
      genres: [],
      allGenres: ["cool jazz"],
      releaseDate: "1959",
      year: 1959,
      durationMs: 324_000,
      description: "d",
    };
    expect(playlistTrack(stored)).toEqual({
      id: "0000000000000000000007",
      name: "Take Five",
      artists: ["The Dave Brubeck Quartet"],
      album: null,
      durationMs: 324_000,
      genres: ["cool jazz"],
      releaseDate: "1959",
      popularity: 50,
      explicit: false,
    });
  });

  it("diffs two versions of a playlist", () => {
    const before = playlistOf([t("1"), t("2")]);
    const after = playlistOf([t("2"), t("3")]);
    const d = diffPlaylists(before, after);
    expect(d.added.map((x) => x.id)).toEqual(["3"]);
    expect(d.removed.map((x) => x.id)).toEqual(["1"]);
  });
});

describe("exports", () => {
  const p = playlistOf(AWKWARD);

  it("names formats and reads them from extensions", () => {
    expect(exportFormat("M3U8")).toBe("m3u8");
    expect(thrown(() => exportFormat("wav")).code).toBe("USAGE");
    expect(formatOfPath("x/mix.m3u")).toBe("m3u8");
    expect(formatOfPath("mix.XSPF")).toBe("xspf");
    expect(formatOfPath("mix.txt")).toBeNull();
  });

  it("M3U8: #EXTM3U, #EXTINF seconds and 'Artists - Title' on one line, then the URI; parses back to the ids", () => {
    const text = exportPlaylist(p, "m3u8");
    const lines = text.split("\n");
    expect(lines[0]).toBe("#EXTM3U");
    expect(lines).toContain('#EXTINF:201,Crosby, Stills, Nash & Young, Él - Our House, "Live"');
    expect(lines).toContain("spotify:track:0000000000000000000001");
    expect(lines).toContain("#EXTINF:60,Artist - Control Char 🎧");
    expect(lines.filter((l) => l.startsWith("#EXTINF:"))).toHaveLength(4);
    // Each #EXTINF is followed by its URI: no name's line break leaked into the list.
    lines.forEach((l, i) => {
      if (l.startsWith("#EXTINF:")) expect(lines[i + 1]).toMatch(/^spotify:track:\d{22}$/);
    });
    expect(m3uIds(text)).toEqual(AWKWARD.map((x) => x.id));
  });

  it("XSPF: well-formed, escaped, each track with location, identifier, title, creator, album, duration", () => {
    const xml = exportPlaylist(p, "xspf");
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<playlist version="1" xmlns="http:\/\/xspf.org\/ns\/0\/">/,
    );
    expect(xml).toContain("<title>Mix &amp; &lt;Match&gt;</title>");
    expect(xml).not.toContain("\u0001");
    const tracks = parseXspf(xml);
    expect(tracks.map((x) => x.identifier)).toEqual(AWKWARD.map((x) => `spotify:track:${x.id}`));
    expect(tracks[0]).toEqual({
      location: "https://open.spotify.com/track/0000000000000000000001",
      identifier: "spotify:track:0000000000000000000001",
      title: 'Our House, "Live"',
      creator: "Crosby, Stills, Nash & Young, Él",
      album: "Album",
      duration: "201400",
    });
    expect(tracks[1]?.title).toBe("<Tag> & 'Apostrophe'");
    expect(tracks[1]?.album).toBeUndefined();
    expect(xmlEscape("a\u0000b\ud800c")).toBe("abc");
  });

  it("CSV: Exportify's header, every field quoted, parses back field for field", () => {
    const text = exportPlaylist(p, "csv");
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...EXPORTIFY_COLUMNS]);
    expect(text.split("\n")[0]).toBe(EXPORTIFY_COLUMNS.map((c) => `"${c}"`).join(","));
    expect(rows).toHaveLength(AWKWARD.length + 1);
    const col = (name: (typeof EXPORTIFY_COLUMNS)[number]) => EXPORTIFY_COLUMNS.indexOf(name);
    const first = rows[1] ?? [];
    expect(first[col("Name")]).toBe("Mix & <Match>");
    expect(first[col("Track URI")]).toBe("spotify:track:0000000000000000000001");
    expect(first[col("Track Name")]).toBe('Our House, "Live"');
    expect(first[col("Artist Name(s)")]).toBe("Crosby\\, Stills\\, Nash & Young, Él");
    expect(first[col("Track Duration (ms)")]).toBe("201400");
    expect(first[col("Explicit")]).toBe("false");
    expect(rows[3]?.[col("Track Name")]).toBe("Line\r\nBreak, comma");
    expect(rows[3]?.[col("Artist Genres")]).toBe("hip-hop,r&b");
    expect(rows[3]?.[col("Explicit")]).toBe("true");
    expect(rows.slice(1).map((r) => r[col("Track URI")])).toEqual(
      AWKWARD.map((x) => `spotify:track:${x.id}`),
    );
  });

  it("JSON: the playlist itself", () => {
    expect(JSON.parse(exportPlaylist(p, "json"))).toEqual(p);
  });
});
