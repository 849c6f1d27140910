import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { get } from "node:http";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFixtures, spawnCli, tempDir, writeFixtures } from "../helpers.js";

interface Exit {
  code: number | null;
  signal: string | null;
}

/** A server process of the CLI's own, its output so far, and how it ended. */
function serve(db: string, ...more: string[]) {
  const child = spawnCli(["serve", "--db", db, "--model", "hash", "--workers", "0", ...more]);
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (out.stdout += d));
  child.stderr.on("data", (d: Buffer) => (out.stderr += d));
  const exited = new Promise<Exit>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, out, exited };
}

/** Waits until `ready()` holds, checking every 50 ms; fails with what was seen after `ms`. */
async function until<T>(ready: () => T | undefined, what: () => string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = ready();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET on a connection of its own (the cluster hands out connections, not requests), as JSON. */
function getFresh<T>(url: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
    }).on("error", reject);
  });
}

/** The pids that answered /api/health, asking on fresh connections until `want` differ (at most 40 asks). */
async function answeringPids(base: string, want: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < 40 && pids.size < want; i++) {
    const r = await getFresh<{ pid: number }>(`${base}/api/health`);
    expect(r.status).toBe(200);
    pids.add(r.body.pid);
  }
  return pids;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const SERVING = /spotivec serving .* on (http:\/\/127\.0\.0\.1:\d+)\//g;

// `serve --processes N`: N forked servers behind the port the primary prints; a dead one is said and replaced.
describe("spotivec serve --processes", () => {
  let db: string;

  beforeAll(async () => {
    const dir = tempDir();
    db = join(dir, "serve.db");
    expect((await ingestFixtures(writeFixtures(dir), db)).code).toBe(0);
  });

  describe("with 2 processes on port 0", () => {
    let server: ReturnType<typeof serve>;
    let base: string;
    let child: ChildProcessWithoutNullStreams;
    beforeAll(async () => {
      server = serve(db, "--port", "0", "--processes", "2");
      child = server.child;
      base = await until(
        () => [...server.out.stdout.matchAll(SERVING)][0]?.[1],
        () => JSON.stringify(server.out),
      );
    });
    afterAll(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });

    it("prints one serving line, and both processes answer on its port", async () => {
      expect([...server.out.stdout.matchAll(SERVING)]).toHaveLength(1);
      expect(server.out.stdout).toContain("(2 processes)");
      const pids = await answeringPids(base, 2);
      expect(pids.size).toBe(2);
      expect(pids.has(child.pid ?? -1)).toBe(false);
      const search = await getFresh<{ results: unknown[] }>(
        `${base}/api/search?q=dark%20techno&energy_min=0.5`,
      );
      expect(search.status).toBe(200);
      expect(search.body.results.length).toBeGreaterThan(0);
    });

    it("says on stderr that a process died, and serves on with one in its place", async () => {
      const [victim] = await answeringPids(base, 1);
      process.kill(victim as number, "SIGKILL");
      await until(
        () => (server.out.stderr.includes(`serves in place of ${victim}`) ? true : undefined),
        () => server.out.stderr,
      );
      expect(server.out.stderr).toContain(
        `server process ${victim} exited (killed by SIGKILL); starting another`,
      );
      const pids = await answeringPids(base, 2);
      expect(pids.size).toBe(2);
      expect(pids.has(victim as number)).toBe(false);
    });

    it("stops every process on SIGTERM and exits 0", async () => {
      const pids = await answeringPids(base, 2);
      child.kill("SIGTERM");
      expect(await server.exited).toEqual({ code: 0, signal: null });
      for (const pid of pids) expect(alive(pid)).toBe(false);
      expect([...server.out.stdout.matchAll(SERVING)]).toHaveLength(1);
    });
  });

  it("fails once, with the first process's error, when the port is taken", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = serve(db, "--port", String(port), "--processes", "3");
      expect((await server.exited).code).toBe(1);
      expect(server.out.stderr.split(`port ${port} is already in use`)).toHaveLength(2);
      expect(server.out.stderr).toMatch(/server process \d+ exited before it served \(exit code 1\)/);
      expect(server.out.stdout).toBe("");
    } finally {
      blocker.close();
    }
  });
});
