import { join } from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { describe, expect, it, vi } from "vitest";
import type { TrackRow } from "../../src/domain/track.js";
import { MAX_DENSITY_BINS } from "../../src/store/sql-terms.js";
import { appliedMigrations, MIGRATIONS, migrate } from "../../src/store/sqlite/migrations.js";
import { openStore, type PlaylistRecord } from "../../src/store/store.js";
import { TRACK_DEFAULTS, tempDir, thrown } from "../helpers.js";

const record = (name: string, over: Partial<PlaylistRecord> = {}): PlaylistRecord => ({
  name,
  query: "dark techno",
  source: { query: "dark techno", limit: 2, nested: { a: [1, 2] } },
  tracks: [{ id: "a" }, { id: "b" }],
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-02T00:00:00.000Z",
  ...over,
});

function track(i: number, energy: number, valence: number, over: Partial<TrackRow> = {}): TrackRow {
  return {
    ...TRACK_DEFAULTS,
    id: `t${String(i).padStart(21, "0")}`,
    name: `Track ${i}`,
    artists: [`Artist ${i}`],
    artistIds: [],
    album: null,
    genres: ["pop"],
    energy,
    valence,
    ...over,
  };
}

describe("playlists in the store", () => {
  it("saves, reads, lists, replaces and removes playlists by exact name", () => {
    const store = openStore(":memory:");
    expect(store.playlistRecord("mix")).toBeNull();
    expect(store.playlistSummaries()).toEqual([]);
    store.putPlaylist(record("mix"));
    store.putPlaylist(record("Another", { query: "", tracks: [] }));
    expect(store.playlistRecord("mix")).toEqual(record("mix"));
    // Names are exact: another case is another playlist.
    expect(store.playlistRecord("MIX")).toBeNull();
    expect(store.playlistSummaries()).toEqual([
      { name: "Another", tracks: 0, query: "", updatedAt: "2025-01-02T00:00:00.000Z" },
      { name: "mix", tracks: 2, query: "dark techno", updatedAt: "2025-01-02T00:00:00.000Z" },
    ]);
    store.putPlaylist(record("mix", { tracks: [{ id: "c" }], updatedAt: "2025-02-01T00:00:00.000Z" }));
    expect(store.playlistRecord("mix")?.tracks).toEqual([{ id: "c" }]);
    expect(store.playlistSummaries().find((p) => p.name === "mix")?.tracks).toBe(1);
    expect(store.removePlaylist("mix")).toBe(true);
    expect(store.removePlaylist("mix")).toBe(false);
    expect(store.playlistSummaries().map((p) => p.name)).toEqual(["Another"]);
    store.close();
  });

  it("keeps names and text of any kind intact (quotes, unicode, SQL-looking)", () => {
    const store = openStore(":memory:");
    const name = `Robert'); DROP TABLE playlists;-- "ünï" 🎧`;
    store.putPlaylist(record(name, { query: name }));
    expect(store.playlistRecord(name)?.query).toBe(name);
    expect(store.playlistSummaries()).toHaveLength(1);
    store.close();
  });

  it("applies m004_playlists once, and gives an older database the table when a writer opens it", () => {
    const store = openStore(":memory:");
    store.close();
    const path = join(tempDir(), "old.db");
    // A database as spotivec made it before playlists: the first three migrations and a schema version.
    const db = new Database(path);
    sqliteVec.load(db);
    migrate(db, MIGRATIONS.slice(0, 3));
    db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', '1')").run();
    db.close();
    expect(thrown(() => openStore(path, { readonly: true })).got).toContain("m004_playlists");
    const upgraded = openStore(path, { mustExist: true });
    upgraded.putPlaylist(record("kept"));
    upgraded.close();
    const check = new Database(path);
    sqliteVec.load(check);
    expect(appliedMigrations(check).filter((m) => m === "m004_playlists")).toHaveLength(1);
    expect(migrate(check)).toEqual([]);
    check.close();
    const reader = openStore(path, { readonly: true });
    expect(reader.playlistRecord("kept")?.name).toBe("kept");
    // A reader cannot write.
    expect(() => reader.putPlaylist(record("no"))).toThrow();
    reader.close();
  });
});

describe("featureDensity", () => {
  it("counts tracks per cell over the field table's ranges, [x][y], the maximum in the last bin", () => {
    const store = openStore(":memory:");
    store.upsertTracks([
      track(1, 0, 0),
      track(2, 0.1, 0.05),
      track(3, 0.49, 0.99),
      track(4, 0.5, 0.5),
      track(5, 1, 1),
      track(6, 0.99, 0.0),
    ]);
    const grid = store.featureDensity("energy", "valence", 2);
    expect(grid).toEqual([
      [2, 1],
      [1, 2],
    ]);
    const fine = store.featureDensity("energy", "valence", 10);
    expect(fine).toHaveLength(10);
    expect(fine.every((col) => col.length === 10)).toBe(true);
    expect(fine[0]?.[0]).toBe(1);
    expect(fine[1]?.[0]).toBe(1);
    expect(fine[4]?.[9]).toBe(1);
    expect(fine[5]?.[5]).toBe(1);
    expect(fine[9]?.[9]).toBe(1);
    expect(fine[9]?.[0]).toBe(1);
    expect(fine.flat().reduce((a, b) => a + b, 0)).toBe(6);
    store.close();
  });

  it("scales tempo by 0..300 and leaves out tracks outside a range (unknown years)", () => {
    const store = openStore(":memory:");
    store.upsertTracks([
      track(1, 0.5, 0.5, { tempo: 60 }),
      track(2, 0.5, 0.5, { tempo: 170, year: 1999, releaseDate: "1999" }),
      track(3, 0.5, 0.5, { tempo: 299 }),
    ]);
    expect(store.featureDensity("tempo", "energy", 3)).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    // Years are 1900..2100; unknown years (stored as 0) are not counted.
    const years = store.featureDensity("year", "energy", 2);
    expect(years.flat().reduce((a, b) => a + b, 0)).toBe(1);
    store.close();
  });

  it("answers with one GROUP BY, whatever the number of bins", () => {
    const store = openStore(":memory:");
    store.upsertTracks(Array.from({ length: 50 }, (_, i) => track(i, (i % 10) / 10, (i % 7) / 7)));
    const prepare = vi.spyOn(Database.prototype, "prepare");
    const grid = store.featureDensity("danceability", "acousticness", MAX_DENSITY_BINS);
    const sql = prepare.mock.calls.map((c) => String(c[0]));
    prepare.mockRestore();
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/GROUP BY/);
    expect(grid).toHaveLength(MAX_DENSITY_BINS);
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(50);
    store.close();
  });

  it("refuses bins out of range and fields that do not filter", () => {
    const store = openStore(":memory:");
    for (const bins of [0, -1, 1.5, MAX_DENSITY_BINS + 1, Number.NaN])
      expect(thrown(() => store.featureDensity("energy", "valence", bins)).code).toBe("USAGE");
    expect(thrown(() => store.featureDensity("explicit" as never, "valence", 4)).code).toBe("USAGE");
    expect(thrown(() => store.featureDensity("energy; DROP TABLE tracks" as never, "valence", 4)).code).toBe(
      "USAGE",
    );
    store.close();
  });
});
