/**
 * Embedding models behind an HTTP API: batching within the provider's limits, retries on 429 (honouring Retry-After)
 * and 5xx with bounded exponential backoff, validation of every reply, and L2 normalization so a dot product is a
 * cosine as for the local models. The providers themselves (request and reply shapes) live in providers.ts.
 */
import { SpotivecError } from "../domain/errors.js";
import { type RetryPolicy, refusalText, sendWithRetry } from "../domain/http.js";
import type { Embedder, EmbedKind } from "./types.js";
import { normalize } from "./vectors.js";

export { retryAfterMs } from "../domain/http.js";

/** What one provider's API looks like to the shared client. */
export interface RemoteProvider {
  /** The prefix in `--model <prefix>:<model>`. */
  prefix: string;
  /** Most texts in one request, per the API's documented limit. */
  maxBatch: number;
  /** Most (estimated) tokens in one request. */
  maxBatchTokens: number;
  /** Known widths per model; others are learned from a first reply. */
  knownDims: Readonly<Record<string, number>>;
  /** The environment variables the provider needs, in order; a missing one is an error that names it. */
  keyVars: readonly string[];
  /** The variable that overrides the base URL (tests point it at a local server). */
  baseUrlVar: string;
  defaultBaseUrl: string;
  request(
    model: string,
    texts: readonly string[],
    kind: EmbedKind,
    keys: Readonly<Record<string, string>>,
    baseUrl: string,
  ): { url: string; headers: Record<string, string>; body: unknown };
  /** The vectors of a 200 reply in input order; throws a plain Error saying what is wrong when the shape is off. */
  parse(reply: unknown, count: number): number[][];
  /** The provider's message in an error reply, if it has one. */
  errorMessage(reply: unknown): string | undefined;
}

export interface RemoteOptions extends RetryPolicy {
  env?: NodeJS.ProcessEnv;
}

/** A rough token count (about 4 characters a token in English), rounded up so batches stay under the limits. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3) + 1;
}

/** Splits texts into consecutive batches of at most maxBatch texts and maxTokens estimated tokens. */
export function batchTexts(texts: readonly string[], maxBatch: number, maxTokens: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    const t = estimateTokens(text);
    if (current.length > 0 && (current.length >= maxBatch || tokens + t > maxTokens)) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(text);
    tokens += t;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function unavailable(model: string, summary: string, got: string, hint: string): SpotivecError {
  return new SpotivecError("MODEL_UNAVAILABLE", `${summary} (${model})`, {
    expected: "a successful reply from the embedding API",
    got,
    hint,
  });
}

/** The keys the provider needs from env, or MODEL_UNAVAILABLE naming the first missing variable. */
export function readKeys(
  provider: RemoteProvider,
  model: string,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const name of provider.keyVars) {
    const value = env[name]?.trim();
    if (!value) {
      throw new SpotivecError("MODEL_UNAVAILABLE", `The embedding model ${model} needs ${name}`, {
        expected: `the environment variable ${name}${provider.keyVars.length > 1 ? ` (with ${provider.keyVars.join(" and ")})` : ""}`,
        got: `${name} is not set`,
        hint: `Set ${name} in the environment, or use a local model (leave out --model).`,
      });
    }
    keys[name] = value;
  }
  return keys;
}

interface Client {
  post(texts: readonly string[], kind: EmbedKind): Promise<number[][]>;
}

function makeClient(
  provider: RemoteProvider,
  fullName: string,
  model: string,
  options: RemoteOptions,
): Client {
  const env = options.env ?? process.env;
  const keys = readKeys(provider, fullName, env);
  const baseUrl = (env[provider.baseUrlVar]?.trim() || provider.defaultBaseUrl).replace(/\/+$/, "");

  const post = async (texts: readonly string[], kind: EmbedKind): Promise<number[][]> => {
    const req = provider.request(model, texts, kind, keys, baseUrl);
    const outcome = await sendWithRetry(
      { url: req.url, headers: req.headers, body: req.body, errorMessage: provider.errorMessage },
      options,
    );
    if (outcome.kind === "ok") {
      try {
        return provider.parse(outcome.reply.json, texts.length);
      } catch (e) {
        throw unavailable(
          fullName,
          "The embedding API answered with a reply we cannot use",
          `${e instanceof Error ? e.message : String(e)}: ${outcome.reply.text.slice(0, 200)}`,
          "Check the base URL and the model id; try again later.",
        );
      }
    }
    if (outcome.kind === "exhausted") {
      throw unavailable(
        fullName,
        `The embedding API kept failing after ${outcome.attempts} tries`,
        outcome.last,
        "The service is busy or down (rate limit or server error); try again later.",
      );
    }
    const auth = outcome.reply.status === 401 || outcome.reply.status === 403;
    throw unavailable(
      fullName,
      auth ? "The embedding API refused the credentials" : "The embedding API refused the request",
      refusalText(outcome.reply, provider.errorMessage),
      auth
        ? `Check ${provider.keyVars.join(" and ")}.`
        : "Check the model id after the prefix (for example openai:text-embedding-3-small).",
    );
  };
  return { post };
}

/** An Embedder for `<prefix>:<model>` on the provider's API; a model of unknown width costs one probe request. */
export async function createRemoteEmbedder(
  provider: RemoteProvider,
  model: string,
  options: RemoteOptions = {},
): Promise<Embedder> {
  const fullName = `${provider.prefix}:${model}`;
  if (model.trim() === "") {
    throw new SpotivecError("USAGE", `No model after ${provider.prefix}:`, {
      expected: `${provider.prefix}:<model id>`,
      got: fullName,
      hint: "For example --model openai:text-embedding-3-small",
    });
  }
  const client = makeClient(provider, fullName, model, options);
  let dims = provider.knownDims[model] ?? 0;

  const embedBatch = async (texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> => {
    const raw = await client.post(texts, kind);
    if (dims === 0) dims = raw[0]?.length ?? 0;
    return raw.map((v, i) => {
      if (v.length !== dims || dims === 0) {
        throw unavailable(
          fullName,
          "The embedding API answered vectors of the wrong width",
          `vector ${i} has ${v.length} numbers`,
          `Expected ${dims} dimensions; check the model id.`,
        );
      }
      return normalize(Float32Array.from(v));
    });
  };

  const embed = async (texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (const batch of batchTexts(texts, provider.maxBatch, provider.maxBatchTokens)) {
      out.push(...(await embedBatch(batch, kind)));
    }
    return out;
  };

  if (dims === 0) await embed(["probe"], "document");
  return {
    model: fullName,
    get dims() {
      return dims;
    },
    embed,
    close: async () => {},
  };
}
