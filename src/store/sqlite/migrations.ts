/**
 * Numbered schema migrations, each run once and recorded in the migrations table.
 *
 * Databases made before migrations were recorded (meta.schema_version "1", no migrations table) run them all:
 * every migration checks before it changes anything, so such a database is adopted as it is, without re-ingest.
 */
import type Database from "better-sqlite3";
import { NameIndex } from "./name-index.js";
import { FEATURE_COLUMNS_SQL, FEATURE_INDEXES_SQL } from "./track-rows.js";

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

/** The schema every later migration starts from. Feature columns and indexes come from the field table. */
const INITIAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tracks (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  album TEXT,
  artists TEXT NOT NULL,
  artist_ids TEXT NOT NULL,
  own_genres TEXT NOT NULL,
  genres TEXT NOT NULL DEFAULT '[]',
  release_date TEXT,
  ${FEATURE_COLUMNS_SQL},
  row_json TEXT NOT NULL,
  song_key TEXT,
  dirty INTEGER NOT NULL DEFAULT 1,
  description TEXT,
  desc_hash TEXT,
  embedded_hash TEXT
);
CREATE INDEX IF NOT EXISTS tracks_dirty ON tracks(rowid) WHERE dirty = 1;
CREATE INDEX IF NOT EXISTS tracks_unembedded ON tracks(rowid) WHERE desc_hash IS NOT NULL AND embedded_hash IS NOT desc_hash;
CREATE INDEX IF NOT EXISTS tracks_popularity ON tracks(popularity);
CREATE INDEX IF NOT EXISTS tracks_year ON tracks(year) WHERE year > 0;
-- Feature indexes: the constraint-fit channel and filter-only listings scan only the tracks in range.
${FEATURE_INDEXES_SQL}
CREATE TABLE IF NOT EXISTS track_genres (
  genre TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  PRIMARY KEY (genre, track_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS track_genres_track ON track_genres(track_rowid);
CREATE TABLE IF NOT EXISTS track_artists (
  artist_id TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  PRIMARY KEY (artist_id, track_rowid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS track_artist_names (
  norm TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  PRIMARY KEY (norm, track_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS track_artist_names_track ON track_artist_names(track_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS track_titles USING fts5(name, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS likes (
  profile TEXT NOT NULL,
  track_rowid INTEGER NOT NULL,
  entry TEXT NOT NULL,
  added_at TEXT NOT NULL DEFAULT (datetime('now')),
  PRIMARY KEY (profile, track_rowid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS concept_vectors (model TEXT NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text));
CREATE TABLE IF NOT EXISTS artists (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  followers INTEGER,
  popularity INTEGER,
  genres TEXT NOT NULL,
  row_json TEXT NOT NULL
);
`;

function m001Initial(db: Database.Database): void {
  db.exec(INITIAL_SCHEMA);
}

/** Song identities (for version collapsing); tracks made before them lose their name index, m003 refills both. */
function m002SongKey(db: Database.Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('tracks')").all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === "song_key")) {
    db.exec("ALTER TABLE tracks ADD COLUMN song_key TEXT; DELETE FROM track_artist_names;");
  }
  db.exec("CREATE INDEX IF NOT EXISTS tracks_song ON tracks(song_key)");
}

/** Tracks described before the artist-name and title indexes existed get them (and their song key). */
function m003FillNameIndexes(db: Database.Database): void {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  if (count("SELECT count(*) AS n FROM track_artist_names") > 0) return;
  if (count("SELECT count(*) AS n FROM tracks WHERE desc_hash IS NOT NULL") === 0) return;
  const names = new NameIndex(db);
  for (const r of db.prepare("SELECT rowid FROM tracks").all() as Array<{ rowid: number }>)
    names.index(BigInt(r.rowid));
}

/** Saved playlists: the search that made each (source), its tracks as they were saved, and when. */
function m004Playlists(db: Database.Database): void {
  // WITHOUT ROWID: the name is the table's own key, so no separate index is made.
  db.exec(`CREATE TABLE IF NOT EXISTS playlists (
  name TEXT PRIMARY KEY,
  query TEXT NOT NULL,
  source_json TEXT NOT NULL,
  tracks_json TEXT NOT NULL,
  track_count INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID`);
}

/**
 * Lyrics enrichment: per track a vector of its lyrics, its theme words and the content hash that made them. The
 * lyrics text itself is never stored (copyright). Vectors are BLOBs compared with vec_distance_cosine: a few
 * thousand to tens of thousands of rows, scanned whole.
 */
function m005Lyrics(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS track_lyrics (
  track_rowid INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  model TEXT NOT NULL,
  themes TEXT NOT NULL,
  chunks INTEGER NOT NULL,
  vector BLOB NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS track_lyrics_model ON track_lyrics(model);`);
}

/**
 * LLM tags (`spotivec enrich tags`): the cache (input content hash + model -> validated tags), each track's tags
 * with the model that gave them, and a log of runs (spend, counts, a pending provider batch to resume).
 */
function m006LlmTags(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS llm_tag_cache (
  input_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  tags_json TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  PRIMARY KEY (input_hash, model)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS track_llm_tags (
  track_rowid INTEGER PRIMARY KEY,
  model TEXT NOT NULL,
  tags_json TEXT NOT NULL,
  input_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS llm_tag_runs (
  id INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT (datetime('now')),
  finished_at TEXT,
  status TEXT NOT NULL,
  batch_id TEXT,
  batch_json TEXT,
  requests INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL,
  counts_json TEXT NOT NULL DEFAULT '{}'
)`);
}

/**
 * Full-precision vectors by rowid for the ANN index (src/store/ann): its builds, its rescoring and exact scans of a
 * filter's rows read them here (a point lookup in the vec0 table costs about 2 ms); in meta, a generation number
 * that every vector write bumps (an index built from another generation is stale) and the vector count (counting
 * the rows reads every one).
 */
function m007VectorGeneration(db: Database.Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS track_embeddings (rowid INTEGER PRIMARY KEY, vector BLOB NOT NULL)");
  const vec0 = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'track_vectors'").get();
  if (vec0) {
    db.exec(
      "INSERT OR REPLACE INTO track_embeddings(rowid, vector) SELECT track_rowid, embedding FROM track_vectors",
    );
  }
  db.exec("INSERT OR IGNORE INTO meta(key, value) VALUES ('vector_generation', '1')");
  db.exec("INSERT OR REPLACE INTO meta(key, value) SELECT 'vector_count', count(*) FROM track_embeddings");
}

export const MIGRATIONS: readonly Migration[] = [
  { name: "m001_initial", up: m001Initial },
  { name: "m002_song_key", up: m002SongKey },
  { name: "m003_fill_name_indexes", up: m003FillNameIndexes },
  { name: "m004_playlists", up: m004Playlists },
  { name: "m005_lyrics", up: m005Lyrics },
  { name: "m006_llm_tags", up: m006LlmTags },
  { name: "m007_vector_generation", up: m007VectorGeneration },
];

const MIGRATIONS_TABLE =
  "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))";

/** Names of the migrations recorded as applied, in the order they ran. */
export function appliedMigrations(db: Database.Database): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
  if (!exists) return [];
  const rows = db.prepare("SELECT name FROM migrations ORDER BY rowid").all() as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/** Names of the migrations not yet applied, in order (read-only opens refuse a database that has any). */
export function pendingMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): string[] {
  const done = new Set(appliedMigrations(db));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}

/** Runs the migrations not yet applied, each in its own write transaction; returns the names it ran. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): string[] {
  const done = new Set(appliedMigrations(db));
  if (migrations.every((m) => done.has(m.name))) return [];
  db.exec(MIGRATIONS_TABLE);
  const isApplied = db.prepare<[string]>("SELECT 1 FROM migrations WHERE name = ?");
  const record = db.prepare<[string]>("INSERT INTO migrations(name) VALUES (?)");
  const ran: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    // IMMEDIATE and checked again inside: two processes opening a new database apply each migration once.
    db.transaction(() => {
      if (isApplied.get(m.name)) return;
      m.up(db);
      record.run(m.name);
      ran.push(m.name);
    }).immediate();
  }
  return ran;
}
