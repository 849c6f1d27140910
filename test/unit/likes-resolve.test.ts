import { beforeAll, describe, expect, it } from "vitest";
import { songKey } from "../../src/domain/text.js";
import type { TrackRow } from "../../src/domain/track.js";
import { describePending } from "../../src/ingest/pipeline.js";
import { type LikeEntry, parseLikes, resolveLike, resolveLikes } from "../../src/likes/likes.js";
import { openStore, type Store } from "../../src/store/store.js";
import { TRACK_DEFAULTS } from "../helpers.js";

function track(id: string, name: string, artists: string[], overrides: Partial<TrackRow> = {}): TrackRow {
  return {
    id,
    name,
    artists,
    artistIds: [],
    album: "Album",
    genres: ["rock"],
    ...TRACK_DEFAULTS,
    ...overrides,
  };
}

const MCR = ["My Chemical Romance"];
const ID = {
  helena: "5dTHtzHFPyi8TlTtzoz1J9",
  helenaCompilation: "1q4SbHA3wBbbzFQJqRxTUo",
  helenaLive: "2Ocy0hhZZXFUCf8a7Hm2fW",
  helenaRemaster: "7BXp34yPk2BoEr8BDzmpVy",
  teenagers: "2x8evxqUlF0eRabbW2JBJd",
  decode: "3e0yTP5trHBBVvV32jwXqF",
  misery: "6SpLc7EXZIPpy0sVko0aoU",
  creepRadiohead: "70LcF31zb1H0PyJoS1Sx1r",
  creepTlc: "6uL7SHIwDvdD7H8U6rbITu",
  numb: "2nLtzopw4rPReszdYBJU6h",
  numbLive: "0MrDeSLsO7mZrVMsVc0m3E",
  wall1: "1NKqRjTl1QQqGO3Yl3E0ST",
  wall2: "4gMgiXfqyzZLMhsksGmbQV",
  wall3: "0Ho4TYRyiCOXJxJRz8a5AK",
  unforgiven: "2ICOLCwi4eq4X0Fp0gcgfj",
  unforgiven2: "6VSXGA6NXcoJXmH0VHqUHZ",
} as const;

const CATALOG: TrackRow[] = [
  // Four versions of one song; the two plain "Helena" differ only by album.
  track(ID.helena, "Helena", MCR, { popularity: 70, album: "Three Cheers for Sweet Revenge" }),
  track(ID.helenaCompilation, "Helena", MCR, { popularity: 45, album: "May Death Never Stop You" }),
  track(ID.helenaLive, "Helena - Live", MCR, { popularity: 30, album: "The Black Parade Is Dead!" }),
  track(ID.helenaRemaster, "Helena (2014 Remaster)", MCR, { popularity: 55 }),
  track(ID.teenagers, "Teenagers", MCR, { popularity: 68 }),
  track(ID.decode, "Decode", ["Paramore"], { popularity: 66 }),
  track(ID.misery, "Misery Business", ["Paramore"], { popularity: 80 }),
  track(ID.creepRadiohead, "Creep", ["Radiohead"], { popularity: 85 }),
  track(ID.creepTlc, "Creep", ["TLC"], { popularity: 60 }),
  track(ID.numb, "Numb", ["Linkin Park"], { popularity: 82 }),
  track(ID.numbLive, "Numb - Live in Texas", ["Linkin Park"], { popularity: 35 }),
  // Three different songs whose titles differ only by the part number.
  track(ID.wall1, "Another Brick in the Wall, Pt. 1", ["Pink Floyd"], { popularity: 58 }),
  track(ID.wall2, "Another Brick in the Wall, Pt. 2", ["Pink Floyd"], { popularity: 78 }),
  track(ID.wall3, "Another Brick in the Wall, Pt. 3", ["Pink Floyd"], { popularity: 52 }),
  track(ID.unforgiven, "The Unforgiven", ["Metallica"], { popularity: 75 }),
  track(ID.unforgiven2, "The Unforgiven II", ["Metallica"], { popularity: 60 }),
];

let store: Store;
const rowid: Record<keyof typeof ID, number> = {} as Record<keyof typeof ID, number>;

beforeAll(() => {
  for (const id of Object.values(ID)) expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
  store = openStore(":memory:");
  store.upsertTracks(CATALOG);
  describePending(store);
  for (const [key, id] of Object.entries(ID)) {
    const t = store.trackById(id);
    if (!t) throw new Error(`fixture track ${id} missing`);
    rowid[key as keyof typeof ID] = t.rowid;
  }
});

const byTrack = (artist: string, title: string): LikeEntry => ({
  kind: "track",
  line: 1,
  raw: `${artist} - ${title}`,
  artist,
  title,
});
const ids = (r: { tracks: Array<{ id: string }> }) => r.tracks.map((t) => t.id);

describe("resolveLike: by id", () => {
  it("matches a catalog id", () => {
    const r = resolveLike(store, { kind: "id", line: 1, raw: ID.decode, id: ID.decode });
    expect(r.status).toBe("matched");
    expect(r.how).toBe("id");
    expect(ids(r)).toEqual([ID.decode]);
    expect(r.tracks[0]?.name).toBe("Decode");
  });

  it("keeps the exact version an id names", () => {
    const r = resolveLike(store, { kind: "id", line: 1, raw: ID.helenaLive, id: ID.helenaLive });
    expect(ids(r)).toEqual([ID.helenaLive]);
  });

  it("leaves an unknown id unmatched, naming it", () => {
    const unknown = "0000000000000000000000";
    const r = resolveLike(store, { kind: "id", line: 1, raw: `spotify:track:${unknown}`, id: unknown });
    expect(r.status).toBe("unmatched");
    expect(r.tracks).toEqual([]);
    expect(r.reason).toContain(unknown);
  });
});

describe("resolveLike: by artist and title", () => {
  it("matches regardless of case, punctuation and spacing, to exactly one track", () => {
    for (const [artist, title] of [
      ["my chemical romance", "HELENA"],
      ["My Chemical Romance", "Helena"],
      ["MY  CHEMICAL ROMANCE!", "helena."],
    ] as const) {
      const r = resolveLike(store, byTrack(artist, title));
      expect(r.status, `${artist} - ${title}`).toBe("matched");
      expect(r.how).toBe("exact");
      // Two catalog tracks are titled exactly "Helena": one is returned, the most popular.
      expect(ids(r)).toEqual([ID.helena]);
    }
  });

  it('reads "Artist - Title" lines parsed from a file the same way', () => {
    const [entry] = parseLikes("my chemical romance - HELENA", "likes.txt");
    if (!entry) throw new Error("no entry");
    const r = resolveLike(store, entry);
    expect(r.status).toBe("matched");
    expect(ids(r)).toEqual([ID.helena]);
  });

  it("matches a version title to that song", () => {
    const r = resolveLike(store, byTrack("My Chemical Romance", "Helena - Live"));
    expect(r.status).toBe("matched");
    expect(r.how).toBe("exact");
    expect(r.tracks).toHaveLength(1);
    const t = r.tracks[0];
    if (!t) throw new Error("no track");
    expect(songKey(t.artists, t.name)).toBe(songKey(MCR, "Helena"));
    expect(store.versionsOf([t.rowid])).toContain(rowid.helena);
  });

  it("matches a version the catalog lacks to the song's most popular version", () => {
    const r = resolveLike(store, byTrack("My Chemical Romance", "Helena (Taylor's Version)"));
    expect(r.status).toBe("matched");
    expect(r.how).toBe("exact");
    expect(ids(r)).toEqual([ID.helena]);
  });

  it("tells apart two songs with the same title by different artists", () => {
    expect(ids(resolveLike(store, byTrack("Radiohead", "Creep")))).toEqual([ID.creepRadiohead]);
    expect(ids(resolveLike(store, byTrack("TLC", "Creep")))).toEqual([ID.creepTlc]);
  });

  it('reads "Title by Artist" entries', () => {
    const [entry] = parseLikes("Teenagers by My Chemical Romance", "likes.txt");
    if (!entry) throw new Error("no entry");
    const r = resolveLike(store, entry);
    expect(r.status).toBe("matched");
    expect(ids(r)).toEqual([ID.teenagers]);
  });
});

describe("resolveLike: fuzzy", () => {
  it("matches a misspelled artist", () => {
    const r = resolveLike(store, byTrack("My Chemical Romanse", "Helena"));
    expect(r.status).toBe("matched");
    expect(r.how).toBe("fuzzy");
    expect(ids(r)).toEqual([ID.helena]);
  });

  it("keeps to the artist the spelling is close to", () => {
    const r = resolveLike(store, byTrack("Radiohed", "Creep"));
    expect(r.status).toBe("matched");
    expect(r.how).toBe("fuzzy");
    expect(ids(r)).toEqual([ID.creepRadiohead]);
  });

  it("matches a misspelled title of a known artist", () => {
    const r = resolveLike(store, byTrack("My Chemical Romance", "Helenna"));
    expect(r.status).toBe("matched");
    expect(r.how).toBe("fuzzy");
    expect(ids(r)).toEqual([ID.helena]);
  });

  it("matches a misspelled artist and title", () => {
    const r = resolveLike(store, byTrack("My Chemical Romanse", "Helenna"));
    expect(r.status).toBe("matched");
    expect(r.how).toBe("fuzzy");
    expect(ids(r)).toEqual([ID.helena]);
  });

  it("is ambiguous when the title fits several different songs equally", () => {
    // Pt. 1, 2 and 3 are different songs; the entry does not say which.
    const r = resolveLike(store, byTrack("Pink Floyd", "Another Brick in the Wall"));
    expect(r.status).toBe("ambiguous");
    expect(ids(r).sort()).toEqual([ID.wall1, ID.wall2, ID.wall3].sort());
    expect(r.reason).toMatch(/^3 different songs match: /);
    expect(r.reason).toContain("Pink Floyd - Another Brick in the Wall, Pt. 2");
  });

  it("is ambiguous with a misspelled artist too", () => {
    const r = resolveLike(store, byTrack("Pink Floid", "Another Brick in the Wall"));
    expect(r.status).toBe("ambiguous");
    expect(r.how).toBe("fuzzy");
    expect(r.tracks).toHaveLength(3);
  });

  it("matches the part the entry names, despite a misspelled artist", () => {
    const r = resolveLike(store, byTrack("Pink Floid", "Another Brick in the Wall, Pt. 2"));
    expect(r.status).toBe("matched");
    expect(ids(r)).toEqual([ID.wall2]);
  });

  it("prefers the song whose title fits exactly over a sequel with a near title", () => {
    const u = resolveLike(store, byTrack("Metalica", "The Unforgiven"));
    expect(u.status).toBe("matched");
    expect(ids(u)).toEqual([ID.unforgiven]);
  });
});

describe("resolveLike: unmatched, with a reason", () => {
  it("says when the artist is known but no title is like it", () => {
    const r = resolveLike(store, byTrack("Paramore", "Still Into You"));
    expect(r.status).toBe("unmatched");
    expect(r.tracks).toEqual([]);
    expect(r.reason).toBe('"Paramore" is in the catalog, but not with a title like "Still Into You"');
  });

  it("says when neither artist nor title is known", () => {
    const r = resolveLike(store, byTrack("Daft Punk", "One More Time"));
    expect(r.status).toBe("unmatched");
    expect(r.reason).toBe('no track like "One More Time" by an artist like "Daft Punk"');
  });

  it("does not match a known title by an unrelated artist", () => {
    const r = resolveLike(store, byTrack("Daft Punk", "Creep"));
    expect(r.status).toBe("unmatched");
    expect(r.reason).toContain("Daft Punk");
  });

  it("says when artist or title is empty (e.g. a library item without a track name)", () => {
    const r = resolveLike(store, byTrack("Paramore", "  "));
    expect(r.status).toBe("unmatched");
    expect(r.reason).toBe("artist or title is empty");
  });
});

describe("resolveLike: artists", () => {
  it("matches an artist to their tracks, one version per song", () => {
    const r = resolveLike(store, {
      kind: "artist",
      line: 1,
      raw: "my chemical romance",
      artist: "my chemical romance",
    });
    expect(r.status).toBe("matched");
    expect(r.how).toBe("artist");
    expect(ids(r).sort()).toEqual([ID.helena, ID.teenagers].sort());
  });

  it("matches Radiohead to Radiohead's Creep only", () => {
    const r = resolveLike(store, { kind: "artist", line: 1, raw: "Radiohead", artist: "Radiohead" });
    expect(r.status).toBe("matched");
    expect(r.how).toBe("artist");
    expect(ids(r)).toEqual([ID.creepRadiohead]);
  });

  it("leaves an unknown artist unmatched, naming it", () => {
    const r = resolveLike(store, { kind: "artist", line: 1, raw: "Daft Punk", artist: "Daft Punk" });
    expect(r.status).toBe("unmatched");
    expect(r.reason).toBe('no artist "Daft Punk" in the catalog');
  });
});

describe("resolveLikes", () => {
  it("resolves every entry and returns the rowids of matched ones only, without duplicates", () => {
    const notes = [
      "# Favourite songs",
      "- My Chemical Romance - Helena",
      "- my chemical romance - HELENA",
      `- [Helena](https://open.spotify.com/track/${ID.helena})`,
      "- Teenagers by My Chemical Romance",
      "- Pink Floyd - Another Brick in the Wall",
      "- Daft Punk - One More Time",
      `- https://open.spotify.com/track/${"1".repeat(22)}`,
      "## Artists",
      "- Radiohead",
    ].join("\n");
    const entries = parseLikes(notes, "notes.md");
    const { resolutions, rowids } = resolveLikes(store, entries);
    expect(resolutions).toHaveLength(entries.length);
    expect(resolutions.map((r) => r.entry)).toEqual(entries);
    expect(resolutions.map((r) => r.status)).toEqual([
      "matched",
      "matched",
      "matched",
      "matched",
      "ambiguous",
      "unmatched",
      "unmatched",
      "matched",
    ]);
    expect(rowids).toEqual([rowid.helena, rowid.teenagers, rowid.creepRadiohead]);
    expect(new Set(rowids).size).toBe(rowids.length);
    for (const wall of [rowid.wall1, rowid.wall2, rowid.wall3]) expect(rowids).not.toContain(wall);
  });

  it("returns nothing for no entries", () => {
    expect(resolveLikes(store, [])).toEqual({ resolutions: [], rowids: [] });
  });
});

describe("store likes profiles", () => {
  it("adds, lists and removes likes per profile, counting repeats once", () => {
    const s = openStore(":memory:");
    s.upsertTracks(CATALOG);
    describePending(s);
    const row = (id: string) => {
      const t = s.trackById(id);
      if (!t) throw new Error(`missing ${id}`);
      return t.rowid;
    };
    const helena = row(ID.helena);
    const decode = row(ID.decode);
    const creep = row(ID.creepRadiohead);

    expect(s.likeProfiles()).toEqual([]);
    expect(s.likes("me")).toEqual([]);

    expect(
      s.addLikes("me", [
        { rowid: helena, entry: "My Chemical Romance - Helena" },
        { rowid: decode, entry: "Paramore - Decode" },
        { rowid: helena, entry: "helena again in the same batch" },
      ]),
    ).toBe(2);
    expect(s.addLikes("me", [{ rowid: helena, entry: "My Chemical Romance - Helena" }])).toBe(0);
    expect(s.addLikes("partner", [{ rowid: creep, entry: "Radiohead" }])).toBe(1);

    expect([...s.likes("me")].sort((a, b) => a - b)).toEqual([helena, decode].sort((a, b) => a - b));
    expect(s.likes("partner")).toEqual([creep]);
    expect(s.likes("nobody")).toEqual([]);
    expect(s.likeProfiles()).toEqual([
      { profile: "me", tracks: 2 },
      { profile: "partner", tracks: 1 },
    ]);

    expect(s.removeLikes("me", [helena, creep])).toBe(1);
    expect(s.likes("me")).toEqual([decode]);
    expect(s.likes("partner")).toEqual([creep]);

    expect(s.removeLikes("partner", [creep])).toBe(1);
    expect(s.likeProfiles()).toEqual([{ profile: "me", tracks: 1 }]);
    s.close();
  });

  it("stores the rowids resolveLikes returns", () => {
    const { rowids } = resolveLikes(store, parseLikes("Paramore - Decode\nRadiohead - Creep\n", "likes.txt"));
    const s = openStore(":memory:");
    s.upsertTracks(CATALOG);
    describePending(s);
    // Same insertion order, so the same rowids.
    expect(
      s.addLikes(
        "me",
        rowids.map((r) => ({ rowid: r, entry: "x" })),
      ),
    ).toBe(2);
    expect(
      s
        .getTracks(s.likes("me"))
        .map((t) => t.id)
        .sort(),
    ).toEqual([ID.decode, ID.creepRadiohead].sort());
    s.close();
  });
});
