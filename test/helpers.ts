import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, expect } from "vitest";
import { run } from "../src/cli/cli.js";
import type { Io } from "../src/cli/ui.js";
import { SpotivecError } from "../src/domain/errors.js";
import { songKey } from "../src/domain/text.js";
import type { TrackRow } from "../src/domain/track.js";
import { createHashEmbedder } from "../src/embed/embedder.js";
import { describePending, embedPending } from "../src/ingest/pipeline.js";
import type { Constraint, QueryPlan, RangeConstraint } from "../src/query/plan.js";
import { openStore, type Store, type StoreOptions } from "../src/store/store.js";

export function tempDir(prefix = "spotivec-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

/** Runs the CLI in-process with captured, non-TTY output. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { ...env },
  };
  const code = await run(argv, io);
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

/**
 * The CLI from source in a process of its own. It runs a script file (not `node -e`), so that `serve --processes`
 * can fork the same command line with node:cluster.
 */
export function spawnCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcessWithoutNullStreams {
  const script = join(tempDir("spotivec-cli-"), "cli.mjs");
  const source = pathToFileURL(join(import.meta.dirname, "..", "src", "cli", "cli.ts")).href;
  writeFileSync(
    script,
    `const { run } = await import(${JSON.stringify(source)});\nprocess.exitCode = await run(process.argv.slice(2));\n`,
  );
  return spawn(process.execPath, ["--import", "tsx", script, ...argv], {
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
}

const HEADER_114K =
  ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";
const HEADER_600K_TRACKS =
  "id,name,popularity,duration_ms,explicit,artists,id_artists,release_date,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature";

/** The header rows of the three layouts, as their files write them, split into columns. */
export const HEADERS = {
  tracks114k: HEADER_114K.split(","),
  tracks600k: HEADER_600K_TRACKS.split(","),
  artists600k: "id,followers,genres,name,popularity".split(","),
};

/** Features in file order, as the 114K file writes them (explicit as "True"/"False"). */
type Features = [
  popularity: number,
  durationMs: number,
  explicit: string,
  danceability: number,
  energy: number,
  key: number,
  loudness: number,
  mode: number,
  speechiness: number,
  acousticness: number,
  instrumentalness: number,
  liveness: number,
  valence: number,
  tempo: number,
  timeSignature: number,
];

function row114k(
  i: number,
  id: string,
  artists: string,
  album: string,
  name: string,
  f: Features,
  genre: string,
): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [i, id, q(artists), q(album), q(name), ...f, genre].join(",");
}

/** Track ids of the fixture, by what they are. */
export const FIXTURE_IDS = {
  techno: "0000000000000000000001",
  technoTwin: "0000000000000000000002",
  sadPiano: "0000000000000000000003",
  happyReggae: "0000000000000000000004",
  explicitRap: "0000000000000000000005",
  metal: "0000000000000000000006",
  acousticFolk: "0000000000000000000007",
  quotedName: "0000000000000000000008",
  oldJazz: "6KbQ3uYMLKb5jDxLF7wYDD",
  oldBlues: "7xPhfUan2yNtyFG0cUWkt8",
  newRock: "1aBcDeFgHiJkLmNoPqRsTu",
} as const;

/** Writes a small catalog in all three layouts, with known bad rows, and returns the paths. */
export function writeFixtures(dir: string): {
  dataset114k: string;
  tracks600k: string;
  artists600k: string;
  validIds114k: string[];
  badRows114k: number;
  validIds600k: string[];
  badRows600k: number;
} {
  const ids = FIXTURE_IDS;
  const lines114k = [
    HEADER_114K,
    row114k(
      0,
      ids.techno,
      "Rødhåd",
      "Anxious",
      "Target Lock",
      [45, 402000, "False", 0.72, 0.91, 1, -7.1, 0, 0.06, 0.002, 0.88, 0.11, 0.08, 132.0, 4],
      "techno",
    ),
    row114k(
      1,
      ids.technoTwin,
      "Dax J",
      "Offending Public Morality",
      "Reign Of Terror",
      [38, 360000, "False", 0.64, 0.96, 6, -5.2, 0, 0.07, 0.0004, 0.9, 0.2, 0.04, 145.0, 4],
      "techno",
    ),
    // The same id again under another genre: merged into one track with both genres, the higher popularity kept.
    row114k(
      2,
      ids.techno,
      "Rødhåd",
      "Anxious",
      "Target Lock",
      [47, 402000, "False", 0.72, 0.91, 1, -7.1, 0, 0.06, 0.002, 0.88, 0.11, 0.08, 132.0, 4],
      "minimal-techno",
    ),
    row114k(
      3,
      ids.sadPiano,
      "Ludovico Einaudi",
      "Una Mattina",
      "Nuvole Bianche",
      [68, 357000, "False", 0.3, 0.08, 7, -20.1, 1, 0.04, 0.99, 0.93, 0.09, 0.07, 70.0, 3],
      "piano",
    ),
    row114k(
      4,
      ids.happyReggae,
      "Bob Marley & The Wailers",
      "Exodus",
      "Three Little Birds",
      [80, 180000, "False", 0.8, 0.52, 9, -9.8, 1, 0.1, 0.16, 0.0, 0.1, 0.95, 74.0, 4],
      "reggae",
    ),
    row114k(
      5,
      ids.explicitRap,
      "Kendrick Lamar",
      "DAMN.",
      "HUMBLE.",
      [83, 177000, "True", 0.9, 0.62, 1, -6.8, 0, 0.1, 0.0003, 0.0, 0.1, 0.42, 150.0, 4],
      "hip-hop",
    ),
    row114k(
      6,
      ids.metal,
      "Slayer",
      "Reign in Blood",
      "Angel of Death",
      [60, 291000, "False", 0.3, 0.98, 2, -4.0, 1, 0.09, 0.0001, 0.2, 0.3, 0.2, 210.0, 4],
      "metal",
    ),
    row114k(
      7,
      ids.acousticFolk,
      "Nick Drake",
      "Pink Moon",
      "Pink Moon",
      [62, 125000, "False", 0.5, 0.2, 5, -15.0, 1, 0.03, 0.95, 0.1, 0.1, 0.35, 118.0, 4],
      "folk",
    ),
    row114k(
      8,
      ids.quotedName,
      "Crosby, Stills, Nash & Young",
      "Déjà Vu",
      'Our House, "Live"',
      [55, 180000, "False", 0.5, 0.3, 0, -11.0, 1, 0.04, 0.8, 0.0, 0.75, 0.6, 100.0, 4],
      "folk",
    ),
    // Bad rows: each must be rejected with its line and reason, and none may stop the run.
    row114k(
      9,
      "",
      "Nobody",
      "Nothing",
      "No Id",
      [10, 180000, "False", 0.5, 0.5, 0, -8, 1, 0.05, 0.5, 0, 0.1, 0.5, 120, 4],
      "pop",
    ),
    row114k(
      10,
      "0000000000000000000010",
      "Someone",
      "Album",
      "",
      [10, 180000, "False", 0.5, 0.5, 0, -8, 1, 0.05, 0.5, 0, 0.1, 0.5, 120, 4],
      "pop",
    ),
    row114k(
      11,
      "0000000000000000000011",
      "Someone",
      "Album",
      "Bad Energy",
      [10, 180000, "False", 0.5, Number.NaN, 0, -8, 1, 0.05, 0.5, 0, 0.1, 0.5, 120, 4],
      "pop",
    ),
    row114k(
      12,
      "0000000000000000000012",
      "Someone",
      "Album",
      "Too Happy",
      [10, 180000, "False", 0.5, 0.5, 0, -8, 1, 0.05, 0.5, 0, 0.1, 1.7, 120, 4],
      "pop",
    ),
    '13,0000000000000000000013,Someone,"Broken Album,Broken Quote,10,180000,False,0.5,0.5,0,-8,1,0.05,0.5,0,0.1,0.5,120,4,pop',
    row114k(
      14,
      "0000000000000000000014",
      "After Broken",
      "Still Here",
      "Survivor",
      [33, 200000, "False", 0.6, 0.7, 4, -6, 1, 0.05, 0.1, 0, 0.1, 0.7, 128, 4],
      "dance",
    ),
  ];
  const tracks600k = [
    "id,name,popularity,duration_ms,explicit,artists,id_artists,release_date,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature",
    `${ids.oldJazz},Take Five,55,324000,0,"['The Dave Brubeck Quartet']",['0kbYTNQb4Pb1rPbbaF0pT4'],1959,0.45,0.26,8,-13.2,0,0.04,0.54,0.52,0.07,0.6,174.0,5`,
    `${ids.oldBlues},Cross Road Blues,30,155000,0,"['Robert Johnson']",['06ZZ5dR2a5PXpchTJ4CsCW'],1936-11,0.6,0.3,11,-12.0,1,0.1,0.9,0.0,0.2,0.5,100.0,4`,
    `${ids.newRock},"Sweet Child O' Mine",85,356000,0,"[""Guns N' Roses"", 'Slash']","['3qm84nBOXUEQ2vnTfUTTFC', '0kbYTNQb4Pb1rPbbaF0pT4']",1987-07-21,0.45,0.9,6,-8.0,1,0.04,0.09,0.1,0.1,0.63,125.0,4`,
    // Bad: a release date that is not a date, and artists that are not a list.
    "0000000000000000000021,Bad Date,10,180000,0,['X'],['0000000000000000000099'],yesterday,0.5,0.5,0,-8,1,0.05,0.5,0,0.1,0.5,120,4",
    "0000000000000000000022,Bad Artists,10,180000,0,X,['0000000000000000000099'],2001,0.5,0.5,0,-8,1,0.05,0.5,0,0.1,0.5,120,4",
  ];
  const artists600k = [
    "id,followers,genres,name,popularity",
    `0kbYTNQb4Pb1rPbbaF0pT4,310000.0,"['cool jazz', 'jazz', 'bebop']",The Dave Brubeck Quartet,60`,
    `06ZZ5dR2a5PXpchTJ4CsCW,200000.0,"['delta blues', 'blues']",Robert Johnson,55`,
    `3qm84nBOXUEQ2vnTfUTTFC,30000000.0,"['hard rock', 'rock']",Guns N' Roses,85`,
    "0000000000000000000031,12,not-a-list,Broken Genres,3",
  ];
  const paths = {
    dataset114k: join(dir, "dataset.csv"),
    tracks600k: join(dir, "tracks.csv"),
    artists600k: join(dir, "artists.csv"),
  };
  writeFileSync(paths.dataset114k, `${lines114k.join("\n")}\n`);
  writeFileSync(paths.tracks600k, `${tracks600k.join("\n")}\n`);
  writeFileSync(paths.artists600k, `${artists600k.join("\n")}\n`);
  return {
    ...paths,
    validIds114k: [
      ids.techno,
      ids.technoTwin,
      ids.sadPiano,
      ids.happyReggae,
      ids.explicitRap,
      ids.metal,
      ids.acousticFolk,
      ids.quotedName,
      "0000000000000000000014",
    ],
    badRows114k: 5,
    validIds600k: [ids.oldJazz, ids.oldBlues, ids.newRock],
    badRows600k: 2,
  };
}

const GENERATED_GENRES = [
  "techno",
  "piano",
  "reggae",
  "metal",
  "folk",
  "hip-hop",
  "jazz",
  "ambient",
  "punk",
  "k-pop",
];

/** A deterministic catalog of n distinct tracks in the 114K layout (made-up names, plausible features). */
export function writeGeneratedCatalog(path: string, n: number): string[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const ids: string[] = [];
  const lines = [HEADER_114K];
  for (let i = 0; i < n; i++) {
    const id = `gen${String(i).padStart(19, "0")}`;
    ids.push(id);
    const genre = GENERATED_GENRES[i % GENERATED_GENRES.length] as string;
    const f: Features = [
      Math.floor(rand() * 100),
      Math.floor(90000 + rand() * 300000),
      rand() < 0.1 ? "True" : "False",
      +rand().toFixed(3),
      +rand().toFixed(3),
      Math.floor(rand() * 12),
      +(-30 + rand() * 28).toFixed(2),
      rand() < 0.6 ? 1 : 0,
      +(rand() * 0.5).toFixed(3),
      +rand().toFixed(3),
      +rand().toFixed(3),
      +rand().toFixed(3),
      +rand().toFixed(3),
      +(60 + rand() * 140).toFixed(2),
      4,
    ];
    lines.push(row114k(i, id, `Artist ${i % 97}`, `Album ${i % 31}`, `Track number ${i}`, f, genre));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return ids;
}

/**
 * A test file's generated catalog (n tracks, writeGeneratedCatalog) in `db` under `dir`, ingested before its tests
 * with the hash embedder; `search` runs `spotivec search --json` on it and returns the parsed output.
 */
export function generatedCatalog<Out>(
  name: string,
  n = 400,
): { dir: string; db: string; search: (q: string, limit?: number) => Promise<Out> } {
  const dir = tempDir();
  const db = join(dir, `${name}.db`);
  beforeAll(async () => {
    writeGeneratedCatalog(join(dir, "gen.csv"), n);
    const r = await cli(["ingest", join(dir, "gen.csv"), "--db", db, "--model", "hash", "--json"]);
    expect(r.code).toBe(0);
  });
  const search = async (q: string, limit = 10) => {
    const r = await cli(["search", q, "--db", db, "--json", "--limit", String(limit)]);
    expect(r.code).toBe(0);
    return r.json<Out>();
  };
  return { dir, db, search };
}

/** Middle-of-the-road values for a TrackRow's release and audio fields; tests override what they test. */
export const TRACK_DEFAULTS = {
  releaseDate: null,
  year: null,
  popularity: 50,
  durationMs: 200_000,
  explicit: false,
  danceability: 0.5,
  energy: 0.5,
  key: 0,
  loudness: -8,
  mode: 1,
  speechiness: 0.05,
  acousticness: 0.3,
  instrumentalness: 0,
  liveness: 0.1,
  valence: 0.5,
  tempo: 120,
  timeSignature: 4,
} as const;

/** A plan holding just these constraints, for tests of ranking and retrieval. */
export function planOf(constraints: Constraint[], over: Partial<QueryPlan> = {}): QueryPlan {
  return {
    query: "q",
    personal: null,
    semanticText: "q",
    constraints,
    reference: null,
    transform: null,
    freeWords: [],
    notes: [],
    collapseVersions: true,
    artistCap: 3,
    ...over,
  };
}

/** Ingests fixture files (by default all three) into db with the lexical test embedder, through the CLI, as --json. */
export function ingestFixtures(
  fx: ReturnType<typeof writeFixtures>,
  db: string,
  files: readonly string[] = [fx.dataset114k, fx.tracks600k, fx.artists600k],
): Promise<CliRun> {
  return cli(["ingest", ...files, "--db", db, "--model", "hash", "--json"]);
}

/** The SpotivecError fn throws; fails the test when it throws something else or nothing. */
export function thrown(fn: () => unknown): SpotivecError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SpotivecError);
    return e as SpotivecError;
  }
  throw new Error("expected a SpotivecError, nothing was thrown");
}

/** A catalog row for store tests: id padded to 22 characters, "Song <id>" by "Artist", rock, default features. */
export function storeTrack(id: string, overrides: Partial<TrackRow> = {}): TrackRow {
  return {
    id: id.padStart(22, "0"),
    name: `Song ${id}`,
    artists: ["Artist"],
    artistIds: [],
    album: "Album",
    genres: ["rock"],
    ...TRACK_DEFAULTS,
    ...overrides,
  };
}

/**
 * A store (in memory unless `at.path` is given) holding rows, described and embedded with the lexical hash embedder
 * of `dims` dimensions.
 */
export async function filledStore(
  rows: readonly TrackRow[],
  dims = 64,
  batch = 16,
  at: { path?: string; options?: StoreOptions } = {},
): Promise<Store> {
  const store = openStore(at.path ?? ":memory:", at.options);
  const embedder = createHashEmbedder(dims);
  store.useModel({ model: embedder.model, dims: embedder.dims });
  store.upsertTracks(rows);
  describePending(store);
  await embedPending(store, embedder, batch);
  return store;
}

/** A hard range constraint from the user's words, on field, with whatever else the test sets. */
export function rangeConstraint(
  over: Partial<RangeConstraint> & Pick<RangeConstraint, "field">,
): RangeConstraint {
  return {
    type: "range",
    label: `${over.field} range`,
    hard: true,
    priority: 4,
    source: { kind: "word", text: over.field },
    ...over,
  };
}

/** The release and audio fields of the 114K file's first row ("Comedy" by Gen Hoshino), as normalized. */
export const COMEDY_FIELDS = {
  releaseDate: null,
  year: null,
  popularity: 73,
  durationMs: 230666,
  explicit: false,
  danceability: 0.676,
  energy: 0.461,
  key: 1,
  loudness: -6.746,
  mode: 0,
  speechiness: 0.143,
  acousticness: 0.0322,
  instrumentalness: 1.01e-6,
  liveness: 0.358,
  valence: 0.715,
  tempo: 87.917,
  timeSignature: 4,
};

/** The release and audio fields of "Never Gonna Give You Up" by Rick Astley, as the 114K file has them. */
export const RICK_FIELDS = {
  releaseDate: "1987-07-27",
  year: 1987,
  popularity: 77,
  durationMs: 213573,
  explicit: true,
  danceability: 0.727,
  energy: 0.939,
  key: 8,
  loudness: -11.855,
  mode: 1,
  speechiness: 0.0369,
  acousticness: 0.138,
  instrumentalness: 0,
  liveness: 0.151,
  valence: 0.916,
  tempo: 113.309,
  timeSignature: 4,
};

/** "clean": no explicit lyrics, from the word. */
export const CLEAN: Constraint = {
  type: "explicit",
  value: false,
  label: "clean",
  hard: true,
  priority: 4,
  source: { kind: "word", text: "clean" },
};

/** Hard exclusions a reference brings (by the reference's text). */
const excludedBy = (text: string) =>
  ({ hard: true, priority: 100, source: { kind: "reference", text } }) as const;

/** What a reference to "Helena" by My Chemical Romance excludes when the user also says "not Radiohead". */
export const NOT_RADIOHEAD: Constraint = {
  type: "artist",
  names: ["Radiohead"],
  norms: ["radiohead"],
  exclude: true,
  label: "not by Radiohead",
  ...excludedBy("radiohead"),
};
export const NOT_HELENA: Constraint = {
  type: "not_song",
  key: songKey(["My Chemical Romance"], "Helena"),
  label: "not Helena itself",
  ...excludedBy("helena"),
};

/** One set of filters as CLI flags and as HTTP parameters, and what every result must then show. */
export const SAMPLE_FILTERS = {
  flags: [
    "--tempo-min",
    "100",
    "--tempo-max",
    "200",
    "--energy-min",
    "0.5",
    "--no-explicit",
    "--popularity-min",
    "40",
  ],
  params: "tempo_min=100&tempo_max=200&energy_min=0.5&explicit=false&popularity_min=40",
  want: { tempo: [100, 200], energy: [0.5, null], explicit: false, popularity: [40, null] },
} as const satisfies {
  flags: readonly string[];
  params: string;
  want: Record<string, readonly [number | null, number | null] | boolean>;
};

/** Every result's features lie within these inclusive ranges ([min, max]; null for an open end) and equal the rest. */
export function expectFeatures(
  results: ReadonlyArray<{ features: object }>,
  want: Readonly<Record<string, readonly [number | null, number | null] | boolean>>,
): void {
  for (const r of results) {
    const features = r.features as Record<string, number | boolean>;
    for (const [name, rule] of Object.entries(want)) {
      if (!Array.isArray(rule)) {
        expect(features[name], name).toBe(rule);
        continue;
      }
      if (rule[0] !== null) expect(features[name], name).toBeGreaterThanOrEqual(rule[0]);
      if (rule[1] !== null) expect(features[name], name).toBeLessThanOrEqual(rule[1]);
    }
  }
}

/**
 * A tiny model2vec-layout static model in `<modelDir>/static/<name>`: a BERT WordPiece tokenizer over `vocab`
 * ([PAD] and [UNK] first), and one embedding row per token, stored as F32 or F16 safetensors.
 */
export function writeStaticModel(
  modelDir: string,
  name: string,
  vocab: readonly string[],
  rows: readonly (readonly number[])[],
  dtype: "F16" | "F32" = "F32",
): string {
  const dir = join(modelDir, "static", name);
  mkdirSync(dir, { recursive: true });
  const tokens = ["[PAD]", "[UNK]", ...vocab];
  const tokenizer = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: tokens.slice(0, 2).map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: null,
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(tokens.map((t, i) => [t, i])),
    },
  };
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  const dims = rows[0]?.length ?? 0;
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ model_type: "model2vec", normalize: true, max_length: 512 }),
  );
  const all = [new Array(dims).fill(0), new Array(dims).fill(0), ...rows].flat();
  const width = dtype === "F16" ? 2 : 4;
  const data = Buffer.alloc(all.length * width);
  for (const [i, x] of all.entries()) {
    if (dtype === "F16") data.writeUInt16LE(toHalf(x), i * 2);
    else data.writeFloatLE(x, i * 4);
  }
  const header = Buffer.from(
    JSON.stringify({ embeddings: { dtype, shape: [tokens.length, dims], data_offsets: [0, data.length] } }),
  );
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  writeFileSync(join(dir, "model.safetensors"), Buffer.concat([length, header, data]));
  return dir;
}

/** Half precision for values exactly representable in it (small integers and halves, as tests use). */
function toHalf(x: number): number {
  if (x === 0) return 0;
  const sign = x < 0 ? 0x8000 : 0;
  const exponent = Math.floor(Math.log2(Math.abs(x)));
  const fraction = Math.round((Math.abs(x) / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | fraction;
}

/** The text cut into chunks of the given sizes (cycled), as a stream would deliver it. */
export function* chunked(text: string, sizes: readonly number[]): Generator<string> {
  let pos = 0;
  for (let i = 0; pos < text.length; i++) {
    const size = sizes[i % sizes.length] as number;
    yield text.slice(pos, pos + size);
    pos += size;
  }
}
