#!/usr/bin/env node
// Runs the compiled CLI; in a source checkout without a build, runs the TypeScript through tsx.
let cli;
try {
  cli = await import("../dist/cli/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../src/cli/cli.ts");
}
process.exitCode = await cli.run(process.argv.slice(2));
