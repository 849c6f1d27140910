import { Command, CommanderError } from "commander";
import { describeError, isSpotivecError, SpotivecError } from "../domain/errors.js";
import { type Io, processIo, reportError } from "./ui.js";

export const VERSION = "0.1.0";

type Register = (program: Command, io: Io) => void;

/**
 * The commands in help order, each module imported only when its command runs (all of them for help or an unknown
 * command): `spotivec info` loads no search, server or likes code, and nothing loads a model it does not use.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ["ingest", async () => (await import("./commands/ingest.js")).registerIngest],
  ["search", async () => (await import("./commands/search.js")).registerSearch],
  ["similar", async () => (await import("./commands/similar.js")).registerSimilar],
  ["likes", async () => (await import("./commands/likes.js")).registerLikes],
  ["playlist", async () => (await import("./commands/playlist.js")).registerPlaylist],
  ["serve", async () => (await import("./commands/serve.js")).registerServe],
  ["info", async () => (await import("./commands/info.js")).registerInfo],
  ["export", async () => (await import("./commands/export.js")).registerExport],
  ["copy", async () => (await import("./commands/copy.js")).registerCopy],
  ["enrich", async () => (await import("./commands/enrich.js")).registerEnrich],
];

/** The program with the command argv names registered (every command when argv names none of them). */
export async function buildProgram(io: Io, argv: readonly string[] = []): Promise<Command> {
  const program = new Command("spotivec")
    .description("Search Spotify track datasets in plain English, locally.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const named = COMMANDS.filter(([name]) => name === argv[0]);
  const registers = await Promise.all((named.length > 0 ? named : COMMANDS).map(([, load]) => load()));
  for (const register of registers) register(program, io);
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

/** "spotivec likes import" for argv ["likes", "import", ...]: the (sub)command the arguments name. */
export function commandPath(program: Command, argv: readonly string[]): string {
  const names = [program.name()];
  let cmd = program;
  for (const arg of argv) {
    const sub = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    names.push(sub.name());
    cmd = sub;
  }
  return names.join(" ");
}

const HELP_CODES = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

/** Commander's own errors: help and version are successes; usage errors were already printed with the usage. */
function commanderExit(io: Io, error: CommanderError, json: boolean, command: string): number {
  if (HELP_CODES.has(error.code) || error.exitCode === 0) return 0;
  const cause = (error as { cause?: unknown }).cause;
  if (isSpotivecError(cause)) return reportError(io, cause, json);
  const usage = new SpotivecError("USAGE", error.message, {
    hint: `Run \`${command} --help\` for its arguments and options.`,
  });
  return json ? reportError(io, usage, true) : describeError(usage).exitCode;
}

/** Runs the CLI on argv (without node and script) and returns the exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const program = await buildProgram(io, argv);
  const json = argv.includes("--json");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(io, error, json, commandPath(program, argv));
    return reportError(io, error, json);
  }
}
