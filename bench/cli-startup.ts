/**
 * Wall time of CLI commands that embed nothing (`info`, a filter-only search) and of bare `node`, median of N runs,
 * for one or more builds side by side (runs interleaved, so load on the machine hits each build alike).
 *
 *   npm run build && node --import tsx bench/cli-startup.ts --db FILE [--runs 7] [--bin bin/spotivec.js ...]
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    runs: { type: "string", default: "7" },
    bin: { type: "string", multiple: true, default: ["bin/spotivec.js"] },
  },
});
if (!args.db) throw new Error("--db FILE is required");
const db = args.db;
const commands: Record<string, string[]> = {
  node: [],
  info: ["info", "--json", "--db", db],
  "search (filter only)": [
    "search",
    "--energy-min",
    "0.8",
    "--genre",
    "techno",
    "--limit",
    "5",
    "--json",
    "--db",
    db,
  ],
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds: Record<string, Record<string, number[]>> = {};
for (let r = 0; r < Number(args.runs); r++) {
  for (const bin of args.bin) {
    for (const [name, argv] of Object.entries(commands)) {
      const t0 = performance.now();
      execFileSync(process.execPath, name === "node" ? ["-e", "0"] : [bin, ...argv], { stdio: "ignore" });
      const label = name === "node" ? "node -e 0" : bin;
      const byCommand = seconds[label] ?? {};
      seconds[label] = byCommand;
      byCommand[name] = [...(byCommand[name] ?? []), (performance.now() - t0) / 1000];
    }
  }
}
const report = Object.fromEntries(
  Object.entries(seconds).map(([bin, byCommand]) => [
    bin,
    Object.fromEntries(Object.entries(byCommand).map(([name, xs]) => [name, Number(median(xs).toFixed(3))])),
  ]),
);
console.log(JSON.stringify({ runs: Number(args.runs), medianSeconds: report }, null, 2));
