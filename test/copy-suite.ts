/**
 * `spotivec copy` from a SQLite catalog into a target (another SQLite file, a PostgreSQL database): the copy answers
 * like the source without embedding again, carries likes and playlists, and a second copy changes nothing.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  cli,
  FIXTURE_IDS,
  ingestFixtures,
  tempDir,
  writeFixtures,
  writeGeneratedCatalog,
} from "./helpers.js";

type CopyJson = {
  tracks: { inserted: number; unchanged: number };
  vectors: number;
  likes: number;
  playlists: number;
};
type SearchJson = { results: Array<{ id: string }> };

/** Registers the tests; `target` makes the empty database to copy into (and its clean-up). */
export function copySuite(target: () => Promise<{ url: string; drop(): Promise<void> }>): void {
  const dir = tempDir();
  const source = join(dir, "source.db");
  let into: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    const fx = writeFixtures(dir);
    const generated = join(dir, "generated.csv");
    writeGeneratedCatalog(generated, 300);
    expect((await ingestFixtures(fx, source, [fx.dataset114k, generated])).code).toBe(0);
    writeFileSync(join(dir, "likes.txt"), "Artist 7 - Track number 7\nArtist 9 - Track number 9\n");
    expect((await cli(["likes", "import", join(dir, "likes.txt"), "--db", source, "--json"])).code).toBe(0);
    const saved = await cli([
      "playlist",
      "save",
      "picked",
      FIXTURE_IDS.metal,
      FIXTURE_IDS.sadPiano,
      "--db",
      source,
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    into = await target();
  }, 120_000);
  afterAll(async () => into?.drop());

  it("copies tracks, vectors, likes and playlists; the copy answers as the source does", async () => {
    const r = await cli(["copy", into.url, "--db", source, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const copied = r.json<CopyJson>();
    expect(copied, r.stdout).toMatchObject({ likes: 2, playlists: 1 });
    expect(copied.vectors).toBe(copied.tracks.inserted);
    expect(copied.vectors).toBeGreaterThan(300);
    const stats = async (db: string) => {
      const { tracks, embedded, genres, model } = (await cli(["info", "--db", db, "--json"])).json<
        Record<string, unknown>
      >();
      return { tracks, embedded, genres, model };
    };
    expect(await stats(into.url)).toEqual(await stats(source));
    for (const q of [
      ["dark techno"],
      ["track number 42", "--genre", "jazz"],
      ["calm songs", "--energy-max", "0.3"],
    ]) {
      const ids = async (db: string) =>
        (await cli(["search", ...q, "--db", db, "--json"])).json<SearchJson>().results.map((t) => t.id);
      expect(await ids(into.url), q.join(" ")).toEqual(await ids(source));
    }
    const list = async (db: string, ...what: string[]) =>
      (await cli([...what, "--db", db, "--json"])).json<unknown>();
    expect(await list(into.url, "likes", "list")).toEqual(await list(source, "likes", "list"));
    expect(await list(into.url, "playlist", "show", "picked")).toEqual(
      await list(source, "playlist", "show", "picked"),
    );
  });

  it("changes nothing the second time", async () => {
    const again = await cli(["copy", into.url, "--db", source, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<CopyJson>()).toMatchObject({ vectors: 0, likes: 0, tracks: { inserted: 0 } });
  });

  it("refuses a target built with another model", async () => {
    const other = join(tempDir(), "other.db");
    const fx = writeFixtures(tempDir());
    const built = await cli(["ingest", fx.dataset114k, "--db", other, "--model", "hash-64", "--json"]);
    expect(built.code, built.stderr).toBe(0);
    const r = await cli(["copy", other, "--db", source, "--json"]);
    expect(r.code).toBe(1);
    expect(r.json<{ error: { code: string } }>().error.code).toBe("MODEL_MISMATCH");
  });
}
