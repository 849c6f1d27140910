/** The only module that draws: colours, spinners, tables. Everything else hands it data. */
import { Chalk, type ChalkInstance } from "chalk";
import type { Ora } from "ora";
import { describeError, type ErrorBody } from "../domain/errors.js";
import type { Phase, ProgressEvent, ProgressSink } from "../domain/progress.js";
import type { IngestSummary, Rejection } from "../ingest/pipeline.js";
import type { QueryPlan } from "../query/plan.js";
import type { PlannedResult, SearchResult } from "../search/search.js";

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export interface Ui {
  readonly json: boolean;
  readonly color: ChalkInstance;
  progress: ProgressSink;
  /** Ends any spinner, leaving a final line for the phase. */
  stopProgress(): void;
  out(text: string): void;
  err(text: string): void;
  printJson(value: unknown): void;
}

function colorEnabled(stream: OutStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

const PHASE_LABEL: Record<Phase, string> = {
  model: "model",
  parse: "reading",
  describe: "describing",
  embed: "embedding",
  index: "indexing vectors",
  search: "searching",
  tag: "tagging",
  catalog: "indexing the catalog",
  enrich: "enriching",
  copy: "copying",
};

const PHASE_UNIT: Record<Phase, string> = {
  model: "bytes",
  parse: "rows",
  describe: "tracks",
  embed: "descriptions",
  index: "vectors",
  search: "",
  tag: "tracks",
  catalog: "tracks",
  enrich: "rows",
  copy: "tracks",
};

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

const num = (n: number) => Math.round(n).toLocaleString("en-US");

/** Rate and ETA per phase, from the events alone. */
export function describeProgress(
  e: ProgressEvent,
  startedAt: number,
  startDone: number,
  now: number,
): string {
  const elapsed = (now - startedAt) / 1000;
  const rate = elapsed > 0.5 ? (e.done - startDone) / elapsed : 0;
  const unit = PHASE_UNIT[e.phase];
  const parts = [
    PHASE_LABEL[e.phase],
    e.total !== null ? `${num(e.done)}/${num(e.total)} ${unit}` : `${num(e.done)} ${unit}`,
  ];
  if (e.total !== null && e.total > 0) parts.push(`${Math.floor((100 * e.done) / e.total)}%`);
  if (rate > 0) parts.push(`${num(rate)}/s`);
  if (rate > 0 && e.total !== null) parts.push(`ETA ${formatDuration((e.total - e.done) / rate)}`);
  if (e.detail) parts.push(e.detail);
  return parts.join("  ");
}

interface PhaseState {
  phase: Phase;
  startedAt: number;
  startDone: number;
  /** When the last line went to a log or pipe. */
  lastLine: number;
  last: ProgressEvent;
  /** The state of the last line written to a log or pipe, so no state is written twice. */
  printed: ProgressEvent | null;
}

const sameState = (a: ProgressEvent, b: ProgressEvent) =>
  a.phase === b.phase && a.done === b.done && a.total === b.total && a.detail === b.detail;

/** A new phase starts at a new phase, or at each new file while reading. */
const startsPhase = (current: PhaseState | null, e: ProgressEvent) =>
  !current ||
  current.phase !== e.phase ||
  (e.phase === "parse" && e.detail !== undefined && e.detail !== "" && current.last.detail !== e.detail);

/** Progress on stderr: a spinner on a terminal; in logs and pipes a line every few seconds, each state once. */
function createProgress(io: Io, interactive: boolean): { progress: ProgressSink; finish: () => void } {
  let spinner: Ora | null = null;
  let current: PhaseState | null = null;
  // The spinner library is loaded only for a terminal (commands in scripts and pipes start faster); until it
  // has loaded, progress is written as lines.
  let ora: typeof import("ora").default | null = null;
  if (interactive) {
    import("ora").then(
      (m) => {
        ora = m.default;
      },
      () => {},
    );
  }

  const write = (state: PhaseState, e: ProgressEvent, now: number) => {
    if (state.printed && sameState(state.printed, e)) return;
    state.printed = e;
    state.lastLine = now;
    io.stderr.write(`${describeProgress(e, state.startedAt, state.startDone, now)}\n`);
  };

  const finish = () => {
    if (!current) return;
    const now = Date.now();
    if (spinner) spinner.succeed(describeProgress(current.last, current.startedAt, current.startDone, now));
    else write(current, current.last, now);
    spinner = null;
    current = null;
  };

  const progress: ProgressSink = (e) => {
    const now = Date.now();
    if (startsPhase(current, e)) finish();
    if (ora && !spinner) {
      spinner = ora({ stream: io.stderr as NodeJS.WritableStream, isEnabled: true, color: "cyan" }).start();
    }
    current ??= { phase: e.phase, startedAt: now, startDone: e.done, lastLine: 0, last: e, printed: null };
    current.last = e;
    if (spinner) spinner.text = describeProgress(e, current.startedAt, current.startDone, now);
    else if (now - current.lastLine >= 5000) write(current, e, now);
  };
  return { progress, finish };
}

export function createUi(io: Io, options: { json: boolean; quiet?: boolean }): Ui {
  const color = new Chalk({ level: colorEnabled(io.stdout, io.env) ? 1 : 0 });
  const errColor = new Chalk({ level: colorEnabled(io.stderr, io.env) ? 1 : 0 });
  const showProgress = !options.json && !options.quiet;
  const { progress, finish } = createProgress(io, io.stderr.isTTY === true && !options.json);
  return {
    json: options.json,
    color,
    progress: (e) => {
      if (showProgress) progress(e);
    },
    stopProgress: finish,
    out: (text) => io.stdout.write(`${text}\n`),
    err: (text) => io.stderr.write(`${errColor.yellow(text)}\n`),
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

export function printRejection(ui: Ui, r: Rejection): void {
  ui.err(`skipped ${r.file}:${r.line}: ${r.reason}`);
}

export function printIngestSummary(ui: Ui, s: IngestSummary): void {
  const c = ui.color;
  ui.out(c.bold(`Ingested ${s.files.length} file(s) in ${formatDuration(s.seconds)} with ${s.model}`));
  for (const f of s.files)
    ui.out(`  ${f.path} (${f.layout}): ${num(f.rows)} rows, ${num(f.rejected)} rejected`);
  const t = s.tracks;
  ui.out(`  tracks: ${num(t.inserted)} new, ${num(t.updated)} updated, ${num(t.unchanged)} unchanged`);
  if (s.artists.inserted + s.artists.updated + s.artists.unchanged > 0) {
    const a = s.artists;
    ui.out(`  artists: ${num(a.inserted)} new, ${num(a.updated)} updated, ${num(a.unchanged)} unchanged`);
  }
  ui.out(`  described ${num(s.described)}, embedded ${num(s.embedded)}`);
  if (s.rejected > 0) ui.out(c.yellow(`  ${num(s.rejected)} rows rejected: see ${s.rejectsFile}`));
}

function truncate(s: string, width: number): string {
  return s.length <= width ? s.padEnd(width) : `${s.slice(0, width - 1)}…`;
}

export function printPlan(ui: Ui, plan: QueryPlan, full: boolean): void {
  const c = ui.color;
  if (full) {
    ui.out(c.bold(`Plan for "${plan.query}"`));
    for (const k of plan.constraints) {
      const s = k.source;
      const from =
        s.kind === "grounded"
          ? `"${s.text}" grounded to "${s.concept}" (similarity ${s.similarity})`
          : s.kind === "llm-tag"
            ? `LLM tags "${s.text}" (only tagged tracks are held to it)`
            : `${s.kind} "${s.text}"`;
      ui.out(
        `  ${k.hard ? c.green("hard") : c.cyan("soft")}  ${k.label}${k.relaxed ? c.yellow(" (relaxed)") : ""}  ${c.dim(`from ${from}`)}`,
      );
    }
    if (plan.reference) ui.out(`  like ${plan.reference.name} (${plan.reference.artists.join(", ")})`);
    if (plan.transform)
      ui.out(`  sound of ${plan.transform.target}, measured on ${plan.transform.profile?.count ?? 0} tracks`);
    if (plan.freeWords.length > 0) ui.out(`  free text: ${plan.freeWords.join(" ")}`);
    ui.out(
      `  ranked by: ${plan.semanticText ? `similarity to "${plan.semanticText}"` : plan.reference ? "similarity to the reference" : "constraints only"}, constraint fit, genre, popularity`,
    );
  }
  for (const note of plan.notes) ui.out(c.yellow(`  note: ${note}`));
}

export function printResults(ui: Ui, results: ReadonlyArray<SearchResult | PlannedResult>): void {
  const c = ui.color;
  if (results.length === 0) {
    ui.out("No tracks match. Loosen a filter or try other words.");
    return;
  }
  ui.out(
    c.dim(
      `${"#".padStart(3)}  ${truncate("track", 34)}  ${truncate("artists", 24)}  ${truncate("genres", 20)}  ${"bpm".padStart(3)}  nrg  val  dnc  score`,
    ),
  );
  results.forEach((r, i) => {
    const f = r.features;
    const two = (x: number) => x.toFixed(2).replace(/^0/, "");
    ui.out(
      `${String(i + 1).padStart(3)}  ${c.bold(truncate(r.name, 34))}  ${truncate(r.artists.join(", "), 24)}  ${c.cyan(truncate(r.genres.join(", "), 20))}  ${String(Math.round(f.tempo)).padStart(3)}  ${two(f.energy)}  ${two(f.valence)}  ${two(f.danceability)}  ${r.score.toFixed(3)}`,
    );
    if ("why" in r && r.why.summary) ui.out(c.dim(`     why: ${r.why.summary}`));
  });
}

/** The one place errors become CLI output: JSON on stdout with --json, else text on stderr. Returns the exit code. */
export function reportError(io: Io, error: unknown, json: boolean): number {
  const report = describeError(error);
  if (json) io.stdout.write(`${JSON.stringify(report.body, null, 2)}\n`);
  if (report.stack !== undefined) io.stderr.write(`internal error (please report it): ${report.stack}\n`);
  else if (!json) io.stderr.write(errorText(report.body.error, colorEnabled(io.stderr, io.env)));
  return report.exitCode;
}

function errorText(e: ErrorBody, colored: boolean): string {
  const c = new Chalk({ level: colored ? 1 : 0 });
  const lines = [`${c.red("error:")} ${e.message}`];
  if (e.expected !== undefined) lines.push(`  expected: ${e.expected}`);
  if (e.got !== undefined) lines.push(`  got:      ${e.got}`);
  lines.push(`  ${c.bold("hint:")}     ${e.hint}`);
  return `${lines.join("\n")}\n`;
}
