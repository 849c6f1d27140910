import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const CHROMIUM = "/usr/bin/chromium";
/** The browser tier serves the built code: worker threads load compiled files. */
export const BUILT = existsSync(join(ROOT, "dist", "server", "worker.js"));

/** Starts `spotivec serve` on a free loopback port with extra arguments and environment; resolves its base URL. */
export async function startServe(
  db: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin", "spotivec.js"), "serve", "--db", db, "--port", "0", ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const read = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
  });
  return { url, child };
}
