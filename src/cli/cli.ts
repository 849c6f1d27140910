import { Command, CommanderError } from "commander";
import { SpotivecError } from "../domain/errors.js";
import { registerInfo } from "./commands/info.js";
import { registerIngest } from "./commands/ingest.js";
import { registerLikes } from "./commands/likes.js";
import { registerSearch } from "./commands/search.js";
import { registerServe } from "./commands/serve.js";
import { registerSimilar } from "./commands/similar.js";
import { type Io, processIo, reportError } from "./ui.js";

export const VERSION = "0.1.0";

export function buildProgram(io: Io): Command {
  const program = new Command("spotivec")
    .description("Search Spotify track datasets in plain English, locally.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  registerIngest(program, io);
  registerSearch(program, io);
  registerSimilar(program, io);
  registerLikes(program, io);
  registerServe(program, io);
  registerInfo(program, io);
  // Subcommands at every depth report through the same io and never exit the process.
  const configure = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub
        .exitOverride()
        .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/** Runs the CLI on argv (without node and script) and returns the exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  const json = argv.includes("--json");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output are successes; commander already printed its own usage errors.
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return 0;
      }
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof SpotivecError) return reportError(io, cause, json);
      if (json) {
        io.stdout.write(`${JSON.stringify({ error: { code: "USAGE", message: error.message } })}\n`);
      }
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(io, error, json);
  }
}
