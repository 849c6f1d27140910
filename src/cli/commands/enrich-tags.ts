import type { Command } from "commander";
import { redactSecrets } from "../../domain/db-url.js";
import { SpotivecError } from "../../domain/errors.js";
import { batchApiFor } from "../../enrich/tags/batch-apis.js";
import { DEFAULT_MODELS, type ProviderName } from "../../enrich/tags/prices.js";
import { isProviderName, TAG_PROVIDERS } from "../../enrich/tags/providers.js";
import { type TagRunSummary, tagTracks } from "../../enrich/tags/run.js";
import { parseWhere } from "../../enrich/tags/scope.js";
import { refreshDerived } from "../../ingest/pipeline.js";
import {
  type CommonOptions,
  loadEmbedder,
  numberOption,
  openDbLocked,
  resolveDbPath,
  withDb,
  withJson,
} from "../options.js";
import { createUi, type Io, type Ui } from "../ui.js";

interface TagFlags extends Omit<CommonOptions, "model"> {
  provider: string;
  model?: string;
  baseUrl?: string;
  genre?: string[];
  where?: string;
  limit?: number;
  batchSize: number;
  concurrency: number;
  budget?: number;
  dryRun?: boolean;
  batch?: boolean;
  pollInterval: number;
  embed: boolean;
  quiet?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function providerOf(name: string): ProviderName {
  if (isProviderName(name)) return name;
  throw new SpotivecError("USAGE", `Unknown --provider ${name}`, {
    expected: Object.keys(TAG_PROVIDERS).join(", "),
    got: name,
    hint: "Any OpenAI-compatible server (LM Studio, vLLM, OpenRouter) works as --provider openai --base-url <url>.",
  });
}

const usd = (v: number | null) =>
  v === null ? "unknown (model not in the price table)" : `$${v.toFixed(4)}`;

function printSummary(ui: Ui, s: TagRunSummary, reembedded: number | null): void {
  const e = s.estimate;
  ui.out(ui.color.bold(`${s.dryRun ? "Estimate" : "Tagged"} with ${s.provider} ${s.model}`));
  ui.out(`  tracks in scope ${s.selected}, cached ${s.cachedTracks}, to request ${e.tracks}`);
  ui.out(
    `  estimate: ${e.requests} requests, ~${e.inputTokens} input + ~${e.outputTokens} output tokens, ${usd(e.costUsd)}${e.batch ? " (batch price)" : ""}`,
  );
  if (s.price)
    ui.out(
      ui.color.dim(
        `  price from ${s.price.source}, checked ${s.price.checked}${s.price.caveat ? `; ${s.price.caveat}` : ""}`,
      ),
    );
  if (s.dryRun) return;
  const c = s.counts;
  ui.out(`  spent: ${s.requests} requests, ${s.inputTokens} + ${s.outputTokens} tokens, ${usd(s.costUsd)}`);
  ui.out(`  tagged ${c.tagged} (${c.cached} from cache), changed ${s.changed}, failed ${c.failed}`);
  ui.out(
    `  dropped: ${c.outOfVocabulary} outside the vocabulary, ${c.contradictions} contradicting the features, ${c.similarArtistsDropped} unknown similar artists; ids missing ${c.missingIds}, unknown ${c.unknownIds}`,
  );
  if (s.genreAgreement !== null)
    ui.out(
      `  subgenre tags agreeing with catalog labels: ${(s.genreAgreement * 100).toFixed(1)}% of ${c.genreChecked}`,
    );
  if (s.stoppedByBudget)
    ui.out(ui.color.yellow("  stopped at the --budget; run again with a larger one to go on"));
  if (s.status === "batch-pending")
    ui.out(ui.color.yellow(`  batch ${s.batchId} still running: run the same command later to collect it`));
  if (reembedded !== null) ui.out(`  re-embedded ${reembedded} changed descriptions`);
}

export function registerEnrichTags(enrichCmd: Command, io: Io): void {
  const cmd = enrichCmd
    .command("tags")
    .description("tag tracks with an LLM (moods, subgenres, scenes, eras, textures, similar artists)")
    .requiredOption("--provider <name>", "openai, anthropic, workers-ai or ollama")
    .option("--model <id>", "the LLM (default per provider: gpt-4o-mini, claude-haiku-4-5, ...)")
    .option("--base-url <url>", "API base URL (an OpenAI-compatible server with --provider openai)")
    .option("--genre <label>", "only tracks of this catalog genre label (repeatable)", collect)
    .option("--where <comparisons>", 'only tracks matching, e.g. "popularity>=50 and energy<0.3"')
    .option(
      "--limit <n>",
      "at most n tracks, most popular first",
      numberOption("--limit", 1, 10_000_000, true),
    )
    .option("--batch-size <n>", "tracks per request", numberOption("--batch-size", 1, 100, true), 25)
    .option("--concurrency <n>", "requests at once", numberOption("--concurrency", 1, 64, true), 4)
    .option("--budget <usd>", "stop before spending more than this", numberOption("--budget", 0, 1_000_000))
    .option("--dry-run", "print the request count, tokens and cost estimate; send nothing")
    .option("--batch", "use the provider's batch API (openai, anthropic): half price, results within 24 h")
    .option(
      "--poll-interval <seconds>",
      "with --batch: seconds between status checks (20 checks, then the batch is left for a rerun)",
      numberOption("--poll-interval", 0, 3600),
      30,
    )
    .option("--no-embed", "refresh descriptions but leave re-embedding to a later run")
    .option("--quiet", "no progress output");
  withJson(withDb(cmd), "print a machine-readable summary on stdout").action(async (flags: TagFlags) => {
    const ui = createUi(io, { json: flags.json === true, quiet: flags.quiet });
    const provider = providerOf(flags.provider);
    // Refuses --batch for a provider without a batch API (USAGE) before the database is opened.
    if (flags.batch) batchApiFor(provider);
    const ranges = flags.where ? parseWhere(flags.where) : undefined;
    const dbPath = resolveDbPath(flags, io);
    const store = await openDbLocked(flags, io, ui, true, "update");
    try {
      if (store.stats().tracks === 0) throw new SpotivecError("EMPTY_STORE", `No tracks in ${dbPath}`);
      const summary = await tagTracks({
        store,
        provider,
        model: flags.model ?? DEFAULT_MODELS[provider],
        baseUrl: flags.baseUrl,
        env: io.env,
        scope: { genres: flags.genre, ranges, limit: flags.limit },
        batchSize: flags.batchSize,
        concurrency: flags.concurrency,
        budgetUsd: flags.budget,
        dryRun: flags.dryRun,
        batchApi: flags.batch,
        pollMs: flags.pollInterval * 1000,
        progress: ui.progress,
      });
      let reembedded: number | null = null;
      if (!summary.dryRun && summary.changed > 0) {
        const embedder = flags.embed ? await loadEmbedder(store, {}, ui, io.env) : null;
        try {
          const refreshed = await refreshDerived(store, embedder, 64, ui.progress);
          if (embedder) reembedded = refreshed.embedded;
        } finally {
          await embedder?.close();
        }
      }
      ui.stopProgress();
      if (ui.json) ui.printJson({ db: redactSecrets(dbPath), ...summary, reembedded });
      else printSummary(ui, summary, reembedded);
    } finally {
      ui.stopProgress();
      store.close();
    }
  });
}
