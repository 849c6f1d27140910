import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { describe, expect, it } from "vitest";
import { appliedMigrations, MIGRATIONS, type Migration, migrate } from "../../src/store/sqlite/migrations.js";
import { openStore } from "../../src/store/store.js";
import { RICK_FIELDS, tempDir } from "../helpers.js";

// The schema as the code before numbered migrations made it (meta.schema_version "1", no migrations table).
const LEGACY_SCHEMA = readFileSync(new URL("../fixtures/legacy-schema.sql", import.meta.url), "utf8");

const LEGACY_VECTORS = `CREATE VIRTUAL TABLE track_vectors USING vec0(track_rowid integer primary key, embedding float[4] distance_metric=cosine, popularity integer, year integer, duration_ms integer, danceability float, energy float, loudness float, mode integer, speechiness float, acousticness float, instrumentalness float, liveness float, valence float, tempo float, explicit boolean)`;

const ROW_JSON =
  '["4uLU6hMCjMI75M1A2tKUQC","Never Gonna Give You Up",null,["Rick Astley"],[],["pop"],"1987-07-27",1987,77,213573,true,0.727,0.939,8,-11.855,1,0.0369,0.138,0,0.151,0.916,113.309,4]';
const VECTOR = new Float32Array([1, 0, 0, 0]);

/** A described and embedded track, written as the old code wrote it. */
function insertLegacyTrack(db: Database.Database, withNames: boolean): void {
  db.prepare(
    `INSERT INTO tracks (id, name, album, artists, artist_ids, own_genres, genres, release_date, year, popularity,
      duration_ms, explicit, danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness,
      liveness, valence, tempo, time_signature, row_json, dirty, description, desc_hash, embedded_hash)
     VALUES ('4uLU6hMCjMI75M1A2tKUQC', 'Never Gonna Give You Up', NULL, '["Rick Astley"]', '[]', '["pop"]', '["pop"]',
      '1987-07-27', 1987, 77, 213573, 1, 0.727, 0.939, 8, -11.855, 1, 0.0369, 0.138, 0, 0.151, 0.916, 113.309, 4,
      ?, 0, 'an upbeat pop song', 'h1', 'h1')`,
  ).run(ROW_JSON);
  db.prepare("INSERT INTO track_genres(genre, track_rowid) VALUES ('pop', 1)").run();
  if (withNames) {
    db.prepare("INSERT INTO track_artist_names(norm, track_rowid) VALUES ('rick astley', 1)").run();
    db.prepare("INSERT INTO track_titles(rowid, name) VALUES (1, 'Never Gonna Give You Up')").run();
    db.prepare("UPDATE tracks SET song_key = 'rick astley|never gonna give you up' WHERE rowid = 1").run();
  }
  db.prepare(
    `INSERT INTO track_vectors(track_rowid, embedding, popularity, year, duration_ms, danceability, energy, loudness,
      mode, speechiness, acousticness, instrumentalness, liveness, valence, tempo, explicit)
     VALUES (1, ?, 77, 1987, 213573, 0.727, 0.939, -11.855, 1, 0.0369, 0.138, 0.0, 0.151, 0.916, 113.309, 1)`,
  ).run(VECTOR);
}

function legacyDatabase(schema: string, withNames = true): string {
  const path = join(tempDir(), "legacy.db");
  const db = new Database(path);
  sqliteVec.load(db);
  db.exec(schema);
  const meta = db.prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
  meta.run("schema_version", "1");
  meta.run("model", "hash-4");
  meta.run("dims", "4");
  db.exec(LEGACY_VECTORS);
  insertLegacyTrack(db, withNames);
  db.close();
  return path;
}

function inspect(path: string) {
  const db = new Database(path, { readonly: true });
  sqliteVec.load(db);
  const indexes = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name <> 'migrations' ORDER BY name",
      )
      .all() as Array<{ name: string }>
  ).map((r) => r.name);
  const out = { migrations: appliedMigrations(db), indexes };
  db.close();
  return out;
}

const RICK = {
  id: "4uLU6hMCjMI75M1A2tKUQC",
  name: "Never Gonna Give You Up",
  artists: ["Rick Astley"],
  artistIds: [],
  album: null,
  genres: ["pop"],
  ...RICK_FIELDS,
};

describe("store migrations", () => {
  it("adopts a database made before migrations were recorded, without re-ingest", () => {
    const path = legacyDatabase(LEGACY_SCHEMA);
    const before = inspect(path);
    expect(before.migrations).toEqual([]);
    const store = openStore(path);
    expect(store.modelInfo()).toEqual({ model: "hash-4", dims: 4 });
    expect(store.stats()).toMatchObject({ tracks: 1, embedded: 1, genres: 1 });
    expect(store.getTracks([1])).toEqual([
      { ...RICK, rowid: 1, allGenres: ["pop"], description: "an upbeat pop song" },
    ]);
    // The same row again is unchanged: its canonical text is the one the old code wrote.
    expect(store.upsertTracks([RICK])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(store.countDirty()).toBe(0);
    expect(store.countPendingEmbeddings()).toBe(0);
    expect(store.findArtist("rick astley")).toBe("Rick Astley");
    expect(store.findTitles("never gonna", 5).map((t) => t.rowid)).toEqual([1]);
    const hit = { ranges: { year: { min: 1980 }, tempo: { min: 100 } }, explicit: true, genres: ["pop"] };
    expect(store.knn(VECTOR, 5, hit).map((h) => h.rowid)).toEqual([1]);
    expect(store.knn(VECTOR, 5, { explicit: false })).toEqual([]);
    expect(Array.from(store.vectorsOf([1]).get(1) ?? [])).toEqual([1, 0, 0, 0]);
    store.close();
    const after = inspect(path);
    expect(after.migrations).toEqual([
      "m001_initial",
      "m002_song_key",
      "m003_fill_name_indexes",
      "m004_playlists",
      "m005_lyrics",
      "m006_llm_tags",
      "m007_vector_generation",
    ]);
    // No index was added next to the ones the old code made; the lyrics table (m005) brings its own.
    expect(after.indexes.filter((i) => i !== "track_lyrics_model")).toEqual(before.indexes);
    expect(after.indexes).toContain("track_lyrics_model");
  });

  it("keeps the filter columns of an old vector table current (its columns in the old order)", () => {
    const store = openStore(legacyDatabase(LEGACY_SCHEMA));
    expect(store.upsertTracks([{ ...RICK, popularity: 90 }])).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 0,
    });
    const [t] = store.dirtyTracks(10);
    store.saveDescriptions([
      { rowid: 1, genres: t?.allGenres ?? [], description: "an upbeat pop song", hash: "h1" },
    ]);
    expect(store.countPendingEmbeddings()).toBe(0);
    expect(store.knn(VECTOR, 5, { ranges: { popularity: { min: 90 } } }).map((h) => h.rowid)).toEqual([1]);
    store.saveEmbeddings([{ rowid: 1, hash: "h1", vector: new Float32Array([0, 1, 0, 0]) }]);
    expect(Array.from(store.vectorsOf([1]).get(1) ?? [])).toEqual([0, 1, 0, 0]);
    store.close();
  });

  it("gives databases described before song keys and name indexes existed both", () => {
    const noNames = LEGACY_SCHEMA.replace("  song_key TEXT,\n", "")
      .replace("CREATE INDEX IF NOT EXISTS tracks_song ON tracks(song_key);\n", "")
      .replace(/CREATE TABLE IF NOT EXISTS track_artist_names[^;]*;\n/, "")
      .replace(/CREATE INDEX IF NOT EXISTS track_artist_names_track[^;]*;\n/, "")
      .replace(/CREATE VIRTUAL TABLE IF NOT EXISTS track_titles[^;]*;\n/, "");
    expect(noNames).not.toContain("song_key");
    expect(noNames).not.toContain("track_titles");
    const path = legacyDatabase(noNames, false);
    const store = openStore(path);
    expect(store.findArtist("rick astley")).toBe("Rick Astley");
    expect(store.findTitles("give you up", 5).map((t) => t.rowid)).toEqual([1]);
    expect(store.versionsOf([1])).toEqual([1]);
    store.close();
    expect(inspect(path).indexes).toContain("tracks_song");
  });

  it("records each migration once, with the time it ran", () => {
    const path = join(tempDir(), "new.db");
    openStore(path).close();
    openStore(path).close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare("SELECT name, applied_at FROM migrations").all() as Array<{ applied_at: string }>;
    expect(rows).toHaveLength(MIGRATIONS.length);
    for (const r of rows) expect(r.applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: "1" });
    db.close();
  });

  it("runs only the migrations not yet applied, in order", () => {
    const db = new Database(":memory:");
    const ran: string[] = [];
    const step = (name: string): Migration => ({ name, up: () => void ran.push(name) });
    expect(migrate(db, [step("m001_a"), step("m002_b")])).toEqual(["m001_a", "m002_b"]);
    expect(migrate(db, [step("m001_a"), step("m002_b"), step("m003_c")])).toEqual(["m003_c"]);
    expect(ran).toEqual(["m001_a", "m002_b", "m003_c"]);
    expect(appliedMigrations(db)).toEqual(["m001_a", "m002_b", "m003_c"]);
  });

  it("records nothing for a migration that fails", () => {
    const db = new Database(":memory:");
    const failing: Migration = {
      name: "m001_fails",
      up: (d) => {
        d.exec("CREATE TABLE half (x)");
        throw new Error("boom");
      },
    };
    expect(() => migrate(db, [failing])).toThrow("boom");
    expect(appliedMigrations(db)).toEqual([]);
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
  });

  it("refuses a database of another schema version and leaves it as it was", () => {
    const path = join(tempDir(), "v2.db");
    const db = new Database(path);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.prepare("INSERT INTO meta VALUES ('schema_version', '2')").run();
    db.close();
    expect(() => openStore(path)).toThrowError(/schema version 2/);
    try {
      openStore(path);
    } catch (e) {
      expect(e).toMatchObject({ code: "DB_ERROR", expected: "schema version 1" });
    }
    expect(inspect(path).migrations).toEqual([]);
  });

  it("reports a file that is not a database as DB_ERROR", () => {
    const path = join(tempDir(), "not.db");
    writeFileSync(path, "x".repeat(4096));
    expect(existsSync(path)).toBe(true);
    expect(() => openStore(path)).toThrowError(/Cannot open the database/);
  });
});
