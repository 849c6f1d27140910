/**
 * Commands that embed nothing, and the static model, load neither transformers.js nor onnxruntime: the CLI runs in
 * a child process with a module loader hook that logs every module URL it loads.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ingestFixtures, tempDir, writeFixtures, writeStaticModel } from "../helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const HEAVY = /onnxruntime|@huggingface\/transformers/;
let dir: string;
let db: string;
let modelDir: string;

/** The module URLs loaded while `code` (an ES module body) runs in a fresh node with the sources via tsx. */
function modulesLoadedBy(code: string, env: NodeJS.ProcessEnv = {}): string[] {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const hook = join(dir, "hook.mjs");
  writeFileSync(
    hook,
    `import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) { appendFileSync(log, url + "\\n"); return next(url, context); }`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";
register(${JSON.stringify(pathToFileURL(hook).href)}, { data: { log: ${JSON.stringify(log)} } });`,
  );
  writeFileSync(log, "");
  execFileSync(
    process.execPath,
    ["--import", "tsx", "--import", register, "--input-type=module", "-e", code],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

/** Runs the CLI on argv in the child and returns the modules it loaded (the exit code must be 0). */
function cliModules(argv: string[]): string[] {
  const cliUrl = pathToFileURL(join(ROOT, "src", "cli", "cli.ts")).href;
  return modulesLoadedBy(
    `const { run } = await import(${JSON.stringify(cliUrl)});
const code = await run(${JSON.stringify(argv)});
if (code !== 0) throw new Error("exit code " + code);`,
    { SPOTIVEC_MODEL_DIR: modelDir },
  );
}

beforeAll(async () => {
  dir = tempDir();
  db = join(dir, "catalog.db");
  modelDir = join(dir, "models");
  expect((await ingestFixtures(writeFixtures(dir), db)).code).toBe(0);
  writeStaticModel(
    modelDir,
    "tiny",
    ["dark", "techno", "happy", "pop"],
    [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ],
  );
}, 60_000);

describe("module graph", () => {
  it("notices transformers.js when a transformers model is created (the check itself works)", () => {
    const embedderUrl = pathToFileURL(join(ROOT, "src", "embed", "embedder.ts")).href;
    const loaded = modulesLoadedBy(
      `const { createEmbedder, MINILM_MODEL } = await import(${JSON.stringify(embedderUrl)});
await createEmbedder(MINILM_MODEL, { offline: true, modelDir: ${JSON.stringify(join(dir, "empty"))} }).catch(() => {});`,
    );
    expect(loaded.filter((u) => HEAVY.test(u)).length).toBeGreaterThan(0);
  });

  it("`info` loads no model runtime, no search and no server code", () => {
    const loaded = cliModules(["info", "--db", db, "--json"]);
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(loaded.filter((u) => /\/src\/(search|server|query)\/|node_modules\/(hono|zod)\//.test(u))).toEqual(
      [],
    );
    expect(loaded.some((u) => u.endsWith("/src/cli/commands/info.ts"))).toBe(true);
  });

  it("a filter-only search loads no model runtime", () => {
    const loaded = cliModules(["search", "--energy-min", "0.1", "--limit", "3", "--db", db, "--json"]);
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(loaded.some((u) => u.endsWith("/src/search/search.ts"))).toBe(true);
  });

  it("ingest and a text search with the static model load no model runtime", async () => {
    const staticDb = join(dir, "static.db");
    const fx = writeFixtures(tempDir());
    const ingest = cliModules([
      "ingest",
      fx.dataset114k,
      "--db",
      staticDb,
      "--model",
      "static:tiny",
      "--json",
    ]);
    expect(ingest.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(ingest.some((u) => u.endsWith("/src/embed/static.ts"))).toBe(true);
    const search = cliModules(["search", "dark", "techno", "--limit", "3", "--db", staticDb, "--json"]);
    expect(search.filter((u) => HEAVY.test(u))).toEqual([]);
    const info = await cli(["info", "--db", staticDb, "--json"]);
    expect(info.json<{ model: { model: string; dims: number } }>().model).toEqual({
      model: "static:tiny",
      dims: 2,
    });
  });
});
