import { describe, expect, it } from "vitest";
import { FIELDS, FILTER_FIELDS } from "../../src/domain/fields.js";
import type { TrackRow } from "../../src/domain/track.js";
import {
  canonicalRow,
  FEATURE_COLUMNS_SQL,
  FEATURE_INDEXES_SQL,
  fromDb,
  rowFromCanonical,
  SQL_ONLY_FILTERS,
  TRACK_COLUMNS,
  type TrackDbRow,
  trackParams,
  VECTOR_COLUMNS_SQL,
  vectorMetadata,
} from "../../src/store/sqlite/track-rows.js";
import { RICK_FIELDS } from "../helpers.js";

const RICK: TrackRow = {
  id: "4uLU6hMCjMI75M1A2tKUQC",
  name: 'Never "Gonna" Give You Up',
  artists: ["Rick Astley", "Ünïcode"],
  artistIds: ["0gxyHStUsqpMadRV0Di1Qt"],
  album: null,
  genres: ["pop", "dance-pop"],
  ...RICK_FIELDS,
  durationMs: 213573.4,
};

const NO_YEAR: TrackRow = {
  id: "0000000000000000000001",
  name: "No year",
  artists: ["A"],
  artistIds: [],
  album: "Alb",
  genres: [],
  releaseDate: null,
  year: null,
  popularity: 0,
  durationMs: 1000,
  explicit: false,
  danceability: 0,
  energy: 1,
  key: -1,
  loudness: -60,
  mode: 0,
  speechiness: 0,
  acousticness: 1,
  instrumentalness: 1,
  liveness: 0,
  valence: 0,
  tempo: 0,
  timeSignature: 0,
};

// Written by the code before the field table; databases on disk compare re-ingested rows against this exact text.
const RICK_JSON =
  '["4uLU6hMCjMI75M1A2tKUQC","Never \\"Gonna\\" Give You Up",null,["Rick Astley","Ünïcode"],["0gxyHStUsqpMadRV0Di1Qt"],["dance-pop","pop"],"1987-07-27",1987,77,213573.4,true,0.727,0.939,8,-11.855,1,0.0369,0.138,0,0.151,0.916,113.309,4]';
const NO_YEAR_JSON =
  '["0000000000000000000001","No year","Alb",["A"],[],[],null,null,0,1000,false,0,1,-1,-60,0,0,1,1,0,0,0,0]';

describe("track rows", () => {
  it("writes the canonical row JSON byte for byte as databases on disk hold it", () => {
    expect(canonicalRow(RICK)).toBe(RICK_JSON);
    expect(canonicalRow(NO_YEAR)).toBe(NO_YEAR_JSON);
  });

  it("reads a canonical row back to the same row (genres sorted)", () => {
    expect(rowFromCanonical(RICK_JSON)).toEqual({ ...RICK, genres: ["dance-pop", "pop"] });
    expect(rowFromCanonical(NO_YEAR_JSON)).toEqual(NO_YEAR);
  });

  it("stores unknown years as 0, booleans as 0/1 and integers rounded", () => {
    const p = trackParams(RICK);
    expect(p).toMatchObject({
      year: 1987,
      explicit: 1,
      duration_ms: 213573,
      tempo: 113.309,
      row_json: RICK_JSON,
    });
    expect(trackParams(NO_YEAR)).toMatchObject({ year: 0, explicit: 0, artist_ids: "[]", album: "Alb" });
  });

  it("reads a stored row back into a track: 0 years are unknown, explicit is a boolean", () => {
    const params = trackParams(NO_YEAR);
    const row = { ...params, rowid: 9, genres: '["x"]', description: "d" } as unknown as TrackDbRow;
    expect(fromDb(row)).toEqual({ ...NO_YEAR, rowid: 9, allGenres: ["x"], description: "d" });
    expect(
      fromDb({ ...trackParams(RICK), rowid: 1, genres: "[]", description: null } as never),
    ).toMatchObject({
      year: 1987,
      explicit: true,
      durationMs: 213573,
    });
  });

  it("derives every column list from the field table", () => {
    for (const f of FIELDS) {
      expect(FEATURE_COLUMNS_SQL).toContain(`${f.name} ${f.type === "real" ? "REAL" : "INTEGER"} NOT NULL`);
      expect(TRACK_COLUMNS.split(", ")).toContain(f.name);
    }
    expect(FEATURE_COLUMNS_SQL).toContain("year INTEGER NOT NULL DEFAULT 0");
    // The name older databases carry, so they do not get a second index on the column.
    expect(FEATURE_INDEXES_SQL).toContain("tracks_duration ON tracks(duration_ms)");
    expect(FEATURE_INDEXES_SQL).toContain("tracks_tempo ON tracks(tempo)");
    expect(FEATURE_INDEXES_SQL).not.toContain("(popularity)");
  });

  it("gives vec0 every filter field plus explicit, integers and booleans as BigInt", () => {
    const columns = VECTOR_COLUMNS_SQL.split(", ");
    // Filter fields added after vec0's columns were fixed (key, time_signature) are filtered by a rowid subquery.
    expect(columns).toHaveLength(FILTER_FIELDS.length - SQL_ONLY_FILTERS.size + 1);
    expect(columns).not.toContain("key integer");
    expect(columns).toContain("explicit boolean");
    expect(columns).toContain("year integer");
    expect(columns).toContain("tempo float");
    const stored = { ...NO_YEAR, rowid: 1, allGenres: [], description: null, popularity: 41.6 };
    const values = vectorMetadata(stored);
    const byColumn = Object.fromEntries(columns.map((c, i) => [c.split(" ")[0], values[i]]));
    expect(byColumn).toMatchObject({
      year: 0n,
      popularity: 42n,
      explicit: 0n,
      duration_ms: 1000n,
      energy: 1,
    });
  });
});
