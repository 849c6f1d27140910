import { describe, expect, it } from "vitest";
import { detectLayout } from "../../src/ingest/layouts.js";
import {
  normalizeArtist,
  normalizeGenre,
  normalizeTrack,
  parsePythonList,
  releaseYear,
} from "../../src/ingest/normalize.js";
import { COMEDY_FIELDS, HEADERS } from "../helpers.js";

describe("parsePythonList", () => {
  it.each([
    ["['Uli']", ["Uli"]],
    [`["Guns N' Roses", 'Slash']`, ["Guns N' Roses", "Slash"]],
    ["['Tyler, The Creator']", ["Tyler, The Creator"]],
    ["[]", []],
    ["[ ]", []],
    ["  ['a' ,  'b']  ", ["a", "b"]],
    ["['Don\\'t']", ["Don't"]],
    ['["say \\"hi\\""]', ['say "hi"']],
  ])("parses %s", (text, expected) => {
    expect(parsePythonList(text)).toEqual(expected);
  });

  it.each([
    "",
    "Uli",
    "'Uli'",
    "['Uli'",
    "Uli']",
    "[Uli]",
    "['Uli' 'Slash']",
    "['unterminated]",
    "['a',, 'b']",
  ])("returns null for %j", (text) => {
    expect(parsePythonList(text)).toBeNull();
  });
});

describe("releaseYear", () => {
  it.each([
    ["1999", 1999],
    ["1999-05", 1999],
    ["1999-05-17", 1999],
    [" 2020-01-01 ", 2020],
    ["1922-02-22", 1922],
  ])("reads %j as %d", (text, year) => {
    expect(releaseYear(text)).toBe(year);
  });

  it.each([
    "",
    "abc",
    "0000",
    "1899",
    "2101",
    "99",
    "1999/05/17",
    "1999-5",
    "1999-05-17T00:00",
    "1999-13-45",
    "1999-02-30",
  ])("gives null for %j", (text) => {
    expect(releaseYear(text)).toBeNull();
  });
});

const { tracks114k: HEADER_114K, tracks600k: HEADER_600K, artists600k: HEADER_ARTISTS } = HEADERS;

const COLS_114K = detectLayout(HEADER_114K, "f.csv").columns;
const COLS_600K = detectLayout(HEADER_600K, "f.csv").columns;
const COLS_ARTISTS = detectLayout(HEADER_ARTISTS, "f.csv").columns;

const BASE_114K: Record<string, string> = {
  "": "0",
  track_id: "5SuOikwiRyPMVoIQDJUgSV",
  artists: "Gen Hoshino",
  album_name: "Comedy",
  track_name: "Comedy Song",
  popularity: "73",
  duration_ms: "230666",
  explicit: "False",
  danceability: "0.676",
  energy: "0.461",
  key: "1",
  loudness: "-6.746",
  mode: "0",
  speechiness: "0.143",
  acousticness: "0.0322",
  instrumentalness: "1.01e-06",
  liveness: "0.358",
  valence: "0.715",
  tempo: "87.917",
  time_signature: "4",
  track_genre: "Acoustic",
};

const BASE_600K: Record<string, string> = {
  id: "35iwgR4jXetI318WEWsa1Q",
  name: "Carve",
  popularity: "6",
  duration_ms: "126903",
  explicit: "0",
  artists: "['Uli']",
  id_artists: "['45tIt06XoI0Iio4LBEVpls']",
  release_date: "1922-02-22",
  danceability: "0.645",
  energy: "0.445",
  key: "0",
  loudness: "-13.338",
  mode: "1",
  speechiness: "0.451",
  acousticness: "0.674",
  instrumentalness: "0.744",
  liveness: "0.151",
  valence: "0.127",
  tempo: "104.851",
  time_signature: "3",
};

function row(header: string[], base: Record<string, string>, changes: Record<string, string> = {}): string[] {
  const values = { ...base, ...changes };
  return header.map((h) => values[h] ?? "");
}

const track114k = (changes: Record<string, string> = {}) =>
  normalizeTrack("tracks-114k", row(HEADER_114K, BASE_114K, changes), COLS_114K);
const track600k = (changes: Record<string, string> = {}) =>
  normalizeTrack("tracks-600k", row(HEADER_600K, BASE_600K, changes), COLS_600K);

function reasonOf(result: { ok: true } | { ok: false; reason: string }): string {
  expect(result.ok).toBe(false);
  return result.ok ? "" : result.reason;
}

describe("normalizeTrack (tracks-114k)", () => {
  it("normalizes a valid row", () => {
    const result = track114k();
    expect(result).toEqual({
      ok: true,
      value: {
        id: "5SuOikwiRyPMVoIQDJUgSV",
        name: "Comedy Song",
        artists: ["Gen Hoshino"],
        artistIds: [],
        album: "Comedy",
        genres: ["acoustic"],
        ...COMEDY_FIELDS,
      },
    });
  });

  it("splits ;-separated artists and trims them", () => {
    const result = track114k({ artists: "Ingrid Michaelson; ZAYN ;;" });
    expect(result.ok && result.value.artists).toEqual(["Ingrid Michaelson", "ZAYN"]);
  });

  it("keeps a comma inside one artist name", () => {
    const result = track114k({ artists: "Tyler, The Creator;Kali Uchis" });
    expect(result.ok && result.value.artists).toEqual(["Tyler, The Creator", "Kali Uchis"]);
  });

  it.each([
    ["True", true],
    ["False", false],
    ["true", true],
    ["1", true],
    ["0", false],
  ])("reads explicit %j as %s", (text, explicit) => {
    const result = track114k({ explicit: text });
    expect(result.ok && result.value.explicit).toBe(explicit);
  });

  it("rejects an unknown explicit value", () => {
    expect(reasonOf(track114k({ explicit: "yes" }))).toMatch(/^explicit:.*"yes"/);
  });

  it("gives an empty album as null", () => {
    const result = track114k({ album_name: "" });
    expect(result.ok && result.value.album).toBeNull();
  });

  it.each([
    [{ track_id: "" }, /^missing track_id$/],
    [{ track_id: "not-an-id" }, /^track_id: "not-an-id" is not a 22-character Spotify id/],
    [{ track_id: "5SuOikwiRyPMVoIQDJUgS" }, /^track_id:/],
    [{ track_name: "" }, /^missing track_name$/],
    [{ track_name: "   " }, /^missing track_name$/],
    [{ artists: "" }, /^missing artists$/],
    [{ artists: " ; " }, /^missing artists$/],
    [{ danceability: "abc" }, /^danceability: expected a number, got "abc"/],
    [{ energy: "1.5" }, /^energy: 1\.5 is outside 0\.\.1/],
    [{ tempo: "-1" }, /^tempo: -1 is outside 0\.\.300/],
    [{ loudness: "" }, /^missing loudness$/],
    [{ key: "1.5" }, /^key: expected an integer/],
    [{ key: "12" }, /^key: 12 is outside -1\.\.11/],
    [{ popularity: "101" }, /^popularity:/],
    [{ track_genre: "" }, /^missing track_genre$/],
  ])("rejects %j", (changes, reason) => {
    expect(reasonOf(track114k(changes))).toMatch(reason);
  });

  it("rejects a row with too few fields", () => {
    const fields = row(HEADER_114K, BASE_114K).slice(0, 10);
    const result = normalizeTrack("tracks-114k", fields, COLS_114K);
    expect(reasonOf(result)).toBe("expected 21 fields, got 10");
  });
});

describe("normalizeTrack (tracks-600k)", () => {
  it("normalizes a valid row", () => {
    const result = track600k();
    expect(result).toEqual({
      ok: true,
      value: {
        id: "35iwgR4jXetI318WEWsa1Q",
        name: "Carve",
        artists: ["Uli"],
        artistIds: ["45tIt06XoI0Iio4LBEVpls"],
        album: null,
        genres: [],
        releaseDate: "1922-02-22",
        year: 1922,
        popularity: 6,
        durationMs: 126903,
        explicit: false,
        danceability: 0.645,
        energy: 0.445,
        key: 0,
        loudness: -13.338,
        mode: 1,
        speechiness: 0.451,
        acousticness: 0.674,
        instrumentalness: 0.744,
        liveness: 0.151,
        valence: 0.127,
        tempo: 104.851,
        timeSignature: 3,
      },
    });
  });

  it("reads several artists from a Python list, including quotes and commas", () => {
    const result = track600k({
      artists: `["Guns N' Roses", 'Tyler, The Creator']`,
      id_artists: "['3qm84nBOXUEQ2vnTfUTTFC', '4V8LLVI7PbaPR0K2TGSxFF']",
    });
    expect(result.ok && result.value.artists).toEqual(["Guns N' Roses", "Tyler, The Creator"]);
    expect(result.ok && result.value.artistIds).toEqual(["3qm84nBOXUEQ2vnTfUTTFC", "4V8LLVI7PbaPR0K2TGSxFF"]);
  });

  it.each([
    ["1", true],
    ["0", false],
    ["True", true],
    ["False", false],
  ])("reads explicit %j as %s", (text, explicit) => {
    const result = track600k({ explicit: text });
    expect(result.ok && result.value.explicit).toBe(explicit);
  });

  it.each([
    ["1999", 1999],
    ["1999-05", 1999],
  ])("takes the year from release_date %j", (date, year) => {
    const result = track600k({ release_date: date });
    expect(result.ok && result.value.year).toBe(year);
    expect(result.ok && result.value.releaseDate).toBe(date);
  });

  it("accepts a missing release_date as no year", () => {
    const result = track600k({ release_date: "" });
    expect(result.ok && result.value.releaseDate).toBeNull();
    expect(result.ok && result.value.year).toBeNull();
  });

  it.each([
    [{ id: "" }, /^missing id$/],
    [{ id: "35iwgR4jXetI318WEWsa1Q!" }, /^id: .* is not a 22-character Spotify id/],
    [{ name: "" }, /^missing name$/],
    [{ artists: "Uli" }, /^artists: expected a list/],
    [{ artists: "[]" }, /^missing artists$/],
    [{ id_artists: "45tIt06XoI0Iio4LBEVpls" }, /^id_artists: expected a list/],
    [{ explicit: "maybe" }, /^explicit:/],
    [{ valence: "high" }, /^valence: expected a number, got "high"/],
    [{ energy: "1.5" }, /^energy: 1\.5 is outside 0\.\.1/],
    [{ tempo: "-1" }, /^tempo: -1 is outside 0\.\.300/],
    [{ release_date: "1999/05/17" }, /^release_date: .*"1999\/05\/17"/],
    [{ release_date: "0000" }, /^release_date:/],
  ])("rejects %j", (changes, reason) => {
    expect(reasonOf(track600k(changes))).toMatch(reason);
  });

  it("rejects a row with too few fields", () => {
    const fields = row(HEADER_600K, BASE_600K).slice(0, 19);
    expect(reasonOf(normalizeTrack("tracks-600k", fields, COLS_600K))).toBe("expected 20 fields, got 19");
  });

  it("rejects a row with more fields than the header", () => {
    const fields = [...row(HEADER_600K, BASE_600K), "surplus"];
    expect(reasonOf(normalizeTrack("tracks-600k", fields, COLS_600K, HEADER_600K.length))).toBe(
      "expected 20 fields, got 21",
    );
  });

  it.each([
    ["1999-13-45", /"1999-13-45" \(there is no month 13\)/],
    ["1999-00", /no month 00/],
    ["1999-04-31", /month 04 of 1999 has no day 31/],
    ["2001-02-29", /no day 29/],
  ])("rejects the impossible date %s with a reason", (date, reason) => {
    expect(reasonOf(track600k({ release_date: date }))).toMatch(reason);
  });

  it("accepts 29 February of a leap year", () => {
    expect(track600k({ release_date: "2000-02-29" })).toMatchObject({ ok: true, value: { year: 2000 } });
  });
});

describe("normalizeArtist", () => {
  const artist = (values: Record<string, string>) =>
    normalizeArtist(
      HEADER_ARTISTS.map((h) => values[h] ?? ""),
      COLS_ARTISTS,
    );
  const base = {
    id: "0DheY5irMjBUeLybbCUEZ2",
    followers: "91.0",
    genres: "['Detroit Techno', 'acid  house']",
    name: "Armando",
    popularity: "4",
  };

  it("normalizes a valid row with normalized genres", () => {
    expect(artist(base)).toEqual({
      ok: true,
      value: {
        id: "0DheY5irMjBUeLybbCUEZ2",
        name: "Armando",
        followers: 91,
        popularity: 4,
        genres: ["detroit techno", "acid house"],
      },
    });
  });

  it("treats empty genres, followers and popularity as absent", () => {
    const result = artist({ ...base, genres: "", followers: "", popularity: "" });
    expect(result).toMatchObject({ ok: true, value: { genres: [], followers: null, popularity: null } });
  });

  it.each([
    [{ genres: "rock" }, /^genres: expected a list like \['rock'\], got "rock"/],
    [{ genres: "['rock'" }, /^genres:/],
    [{ id: "" }, /^missing id$/],
    [{ id: "short" }, /^id: "short" is not a 22-character Spotify id/],
    [{ name: "" }, /^missing name$/],
    [{ followers: "-1" }, /^followers:/],
    [{ followers: "many" }, /^followers:/],
    [{ popularity: "101" }, /^popularity: expected 0\.\.100/],
  ])("rejects %j", (changes, reason) => {
    const result = artist({ ...base, ...changes });
    expect(reasonOf(result)).toMatch(reason);
  });

  it("rejects a row with too few fields", () => {
    const result = normalizeArtist(["0DheY5irMjBUeLybbCUEZ2", "91"], COLS_ARTISTS);
    expect(reasonOf(result)).toBe("expected 5 fields, got 2");
  });
});

describe("normalizeGenre", () => {
  it.each([
    ["Detroit-Techno ", "detroit-techno"],
    ["  Hip   Hop\t", "hip hop"],
    ["r-n-b", "r-n-b"],
    ["", ""],
  ])("normalizes %j to %j", (genre, expected) => {
    expect(normalizeGenre(genre)).toBe(expected);
  });
});
