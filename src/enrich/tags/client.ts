/**
 * One provider's chat API for tagging: keys from the environment, the shared retry policy (429 with Retry-After,
 * 5xx, backoff), and replies read into the reply schema. A reply of the wrong shape is not an error here: the
 * caller retries its tracks alone.
 */
import { SpotivecError } from "../../domain/errors.js";
import { type RetryPolicy, refusalText, sendWithRetry } from "../../domain/http.js";
import type { ProviderName } from "./prices.js";
import { readReply, type TagReply } from "./prompt.js";
import { TAG_PROVIDERS, type TagProvider, type Usage } from "./providers.js";

export interface ChatAnswer {
  /** Null when the reply could not be read (`problem` says why). */
  reply: TagReply | null;
  problem?: string;
  usage: Usage | null;
}

export interface ChatClient {
  provider: TagProvider;
  model: string;
  baseUrl: string;
  keys: Readonly<Record<string, string>>;
  http: RetryPolicy;
  send(lines: readonly string[]): Promise<ChatAnswer>;
}

export function llmFailed(summary: string, got: string, hint?: string): SpotivecError {
  return new SpotivecError("LLM_FAILED", summary, {
    expected: "a successful reply from the LLM API",
    got,
    hint,
  });
}

/** The keys the provider needs, or LLM_FAILED naming the first missing variable. */
export function readKeys(provider: TagProvider, env: NodeJS.ProcessEnv): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const name of provider.keyVars) {
    const value = env[name]?.trim();
    if (!value) {
      throw new SpotivecError("LLM_FAILED", `--provider ${provider.name} needs ${name}`, {
        expected: `the environment variable ${provider.keyVars.join(" and ")}`,
        got: `${name} is not set`,
        hint: `Set ${name}, or use --dry-run to see the estimate without a key.`,
      });
    }
    keys[name] = value;
  }
  const optional = provider.optionalKeyVar && env[provider.optionalKeyVar]?.trim();
  if (provider.optionalKeyVar && optional) keys[provider.optionalKeyVar] = optional;
  return keys;
}

/** What a refused or failing request means, as LLM_FAILED. */
export function requestFailure(
  provider: TagProvider,
  model: string,
  outcome:
    | { kind: "refused"; reply: import("../../domain/http.js").JsonReply }
    | { kind: "exhausted"; last: string; attempts: number },
): SpotivecError {
  if (outcome.kind === "exhausted") {
    return llmFailed(
      `The ${provider.name} API kept failing after ${outcome.attempts} tries (${model})`,
      outcome.last,
      "The service is busy or down (rate limit or server error); run the command again later: tags done so far are kept.",
    );
  }
  const status = outcome.reply.status;
  const auth = status === 401 || status === 403;
  return llmFailed(
    auth
      ? `The ${provider.name} API refused the credentials`
      : `The ${provider.name} API refused the request (${model})`,
    refusalText(outcome.reply, provider.errorMessage),
    auth
      ? `Check ${provider.keyVars.join(" and ") || "the key"}.`
      : "Check --model (and --base-url); the model must support JSON schema output.",
  );
}

export function createChatClient(
  name: ProviderName,
  model: string,
  options: { baseUrl?: string; env: NodeJS.ProcessEnv; http?: RetryPolicy },
): ChatClient {
  const provider = TAG_PROVIDERS[name];
  const keys = readKeys(provider, options.env);
  const baseUrl = (
    options.baseUrl?.trim() ||
    options.env[provider.baseUrlVar]?.trim() ||
    provider.defaultBaseUrl
  ).replace(/\/+$/, "");
  const http = options.http ?? {};
  const send = async (lines: readonly string[]): Promise<ChatAnswer> => {
    const req = provider.request(model, lines, keys, baseUrl);
    const outcome = await sendWithRetry(
      { url: req.url, headers: req.headers, body: req.body, errorMessage: provider.errorMessage },
      http,
    );
    if (outcome.kind !== "ok") throw requestFailure(provider, model, outcome);
    return answerOf(provider, outcome.reply.json);
  };
  return { provider, model, baseUrl, keys, http, send };
}

/** A 200 reply's body as an answer (also used for each line of a batch's results). */
export function answerOf(provider: TagProvider, json: unknown): ChatAnswer {
  let usage: Usage | null = null;
  try {
    const parsed = provider.parse(json);
    usage = parsed.usage;
    return { reply: readReply(parsed.content), usage };
  } catch (e) {
    return { reply: null, problem: e instanceof Error ? e.message : String(e), usage };
  }
}
