import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** vibe-bench (../shared/bench, never committed): the script under test reuses its grading. */
const BENCH = join(import.meta.dirname, "..", "..", "..", "shared", "bench");
const HAVE_BENCH = existsSync(join(BENCH, "vibebench.py"));
const HEADER =
  ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode," +
  "speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";
const FEATURES = "50,200000,False,0.5,0.5,0,-8,1,0.05,0.2,0,0.1,0.5,120,4";
// Duo has two songs, "One" under two ids (a remaster); Other has one.
const ROWS = [
  ["a1", "Duo", "One"],
  ["a2", "Duo", "One - Remastered"],
  ["a3", "Duo", "Two"],
  ["b1", "Other", "Three"],
].map(([id, artist, title], i) => `${i},${id},${artist},Album,${title},${FEATURES},pop`);
const QUERIES = [
  { id: "t1", query: "songs by duo", must: [{ artist: ["Duo"] }], should: [] },
  { id: "t2", query: "songs by other", must: [{ artist: ["Other"] }], should: [] },
];
const ANSWERS: Record<string, string[]> = { "songs by duo": ["a1", "a3"], "songs by other": ["b1"] };

describe.skipIf(!HAVE_BENCH)("bench/vibe-ideal.py", () => {
  const dir = mkdtempSync(join(tmpdir(), "spotivec-vibe-ideal-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rescales nDCG to the ideal of distinct songs, leaving queries without repeats alone", () => {
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const data = file("catalog.csv", [HEADER, ...ROWS].join("\n"));
    const likes = file("likes.txt", "");
    const queries = file("queries.jsonl", QUERIES.map((q) => JSON.stringify(q)).join("\n"));
    const answer = file(
      "answer.py",
      `import json, sys\nprint(json.dumps([{"id": i} for i in ${JSON.stringify(ANSWERS)}[sys.argv[1]]]))\n`,
    );
    const out = join(dir, "out.json");
    const bench = join(BENCH, "vibebench.py");
    const cmd = `python3 ${answer} {query}`;
    execFileSync("python3", [
      bench,
      "--queries",
      queries,
      "--data",
      data,
      "--likes",
      likes,
      "--cmd",
      cmd,
      "--out",
      out,
    ]);
    const script = join(import.meta.dirname, "..", "..", "bench", "vibe-ideal.py");
    execFileSync("python3", [
      script,
      "--bench",
      BENCH,
      "--queries",
      queries,
      "--out",
      out,
      "--data",
      data,
      "--likes",
      likes,
    ]);
    const rows = JSON.parse(readFileSync(out, "utf8")) as Array<{
      id: string;
      ndcg: number;
      ndcg_song_ideal: number;
    }>;
    const [duo, other] = rows;
    // Both of Duo's songs, once each: vibe-bench's ideal counts 3 ids (gain 3 at ranks 1-3), the song ideal 2.
    const dcg = (n: number) =>
      Array.from({ length: n }, (_, i) => 3 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
    expect(duo?.ndcg).toBeCloseTo(dcg(2) / dcg(3), 6);
    expect(duo?.ndcg_song_ideal).toBeCloseTo(1, 6);
    expect(other?.ndcg).toBeCloseTo(1, 6);
    expect(other?.ndcg_song_ideal).toBeCloseTo(1, 6);
  });
});

if (!HAVE_BENCH) {
  describe("bench/vibe-ideal.py", () => {
    it.skip(`skipped: vibe-bench is not at ${BENCH}`, () => {});
  });
}
