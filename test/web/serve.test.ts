import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { tempDir } from "../helpers.js";
import { BUILT, startServe } from "./serve-process.js";

/** `spotivec serve` (built: worker threads load compiled files) on an empty catalog, searching on workers. */
describe.skipIf(!BUILT)("errors thrown in search workers", () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    // An empty spotivec database (serve opens read-only and refuses a missing one).
    const db = join(tempDir(), "empty.db");
    openStore(db).close();
    ({ url, child } = await startServe(db, ["--model", "hash", "--workers", "1"]));
  });

  afterAll(() => {
    child?.kill("SIGTERM");
  });

  it("keep their code, status and hint across the thread", async () => {
    const res = await fetch(`${url}/api/search?q=techno`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string; hint: string } };
    expect(Object.keys(body.error).sort()).toEqual(["code", "hint", "message"]);
    expect(body.error.code).toBe("EMPTY_STORE");
    expect(body.error.message).toContain("no embedded tracks");
    expect(body.error.hint).not.toBe("");
  });

  it("answers 404 for a track the worker does not find", async () => {
    const res = await fetch(`${url}/api/tracks/0000000000000000000099`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});

if (!BUILT) {
  describe("errors thrown in search workers", () => {
    it.skip("skipped: dist/ is missing (npm run build)", () => {});
  });
}
