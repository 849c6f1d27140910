/**
 * The chat APIs that can tag tracks, each as its documented request and reply shapes:
 * - OpenAI chat completions with structured outputs (`response_format: { type: "json_schema" }`):
 *   https://platform.openai.com/docs/api-reference/chat/create and
 *   https://platform.openai.com/docs/guides/structured-outputs. The same shape serves Ollama
 *   (https://github.com/ollama/ollama/blob/main/docs/openai.md), LM Studio, vLLM and OpenRouter through --base-url.
 * - Anthropic Messages with a forced tool whose input_schema is the reply schema:
 *   https://docs.anthropic.com/en/api/messages and https://docs.anthropic.com/en/docs/build-with-claude/tool-use.
 * - Workers AI run with JSON mode (`response_format: { type: "json_schema" }`):
 *   https://developers.cloudflare.com/api/resources/ai/methods/run/ and
 *   https://developers.cloudflare.com/workers-ai/features/json-mode/.
 */
import type { ProviderName } from "./prices.js";
import { REPLY_SCHEMA, SYSTEM_PROMPT, userPrompt } from "./prompt.js";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface TagProvider {
  name: ProviderName;
  /** Variables that must be set; `optionalKeyVar` is sent when set (a local server needs no key). */
  keyVars: readonly string[];
  optionalKeyVar?: string;
  baseUrlVar: string;
  defaultBaseUrl: string;
  /** Path and body of one chat request, relative to the base URL (batch files reuse them). */
  request(
    model: string,
    lines: readonly string[],
    keys: Readonly<Record<string, string>>,
    baseUrl: string,
  ): ChatRequest;
  /** The reply's structured content (object or JSON text) and usage; throws a plain Error when the shape is off. */
  parse(reply: unknown): { content: unknown; usage: Usage | null };
  errorMessage(reply: unknown): string | undefined;
}

const TOOL = "save_tags";
const MAX_OUTPUT_TOKENS = 4096;

function openaiLike(
  name: ProviderName,
  keyVars: string[],
  baseUrlVar: string,
  defaultBaseUrl: string,
): TagProvider {
  return {
    name,
    keyVars,
    optionalKeyVar: keyVars.length === 0 ? "OPENAI_API_KEY" : undefined,
    baseUrlVar,
    defaultBaseUrl,
    request: (model, lines, keys, baseUrl) => {
      const key = keys.OPENAI_API_KEY;
      const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
      return {
        url: `${baseUrl}/chat/completions`,
        headers,
        body: {
          model,
          messages: [
            { role: "system", content: SYSTEM_PROMPT },
            { role: "user", content: userPrompt(lines) },
          ],
          response_format: {
            type: "json_schema",
            json_schema: { name: "track_tags", strict: true, schema: REPLY_SCHEMA },
          },
          temperature: 0,
          max_tokens: MAX_OUTPUT_TOKENS,
        },
      };
    },
    parse: (reply) => {
      const r = reply as {
        choices?: Array<{ message?: { content?: unknown; refusal?: unknown } }>;
        usage?: { prompt_tokens?: number; completion_tokens?: number };
      };
      const message = r?.choices?.[0]?.message;
      if (typeof message?.refusal === "string" && message.refusal)
        throw new Error(`refused: ${message.refusal}`);
      if (typeof message?.content !== "string") throw new Error("no choices[0].message.content");
      return { content: message.content, usage: usageOf(r.usage?.prompt_tokens, r.usage?.completion_tokens) };
    },
    errorMessage: (reply) => {
      const m = (reply as { error?: { message?: unknown } } | undefined)?.error?.message;
      return typeof m === "string" ? m : undefined;
    },
  };
}

function usageOf(input: unknown, output: unknown): Usage | null {
  return typeof input === "number" && typeof output === "number"
    ? { inputTokens: input, outputTokens: output }
    : null;
}

const anthropic: TagProvider = {
  name: "anthropic",
  keyVars: ["ANTHROPIC_API_KEY"],
  baseUrlVar: "SPOTIVEC_ANTHROPIC_BASE_URL",
  defaultBaseUrl: "https://api.anthropic.com/v1",
  request: (model, lines, keys, baseUrl) => ({
    url: `${baseUrl}/messages`,
    headers: { "x-api-key": keys.ANTHROPIC_API_KEY ?? "", "anthropic-version": "2023-06-01" },
    body: {
      model,
      max_tokens: MAX_OUTPUT_TOKENS,
      system: SYSTEM_PROMPT,
      messages: [{ role: "user", content: userPrompt(lines) }],
      tools: [{ name: TOOL, description: "Save the tags of each track.", input_schema: REPLY_SCHEMA }],
      tool_choice: { type: "tool", name: TOOL },
      temperature: 0,
    },
  }),
  parse: (reply) => {
    const r = reply as {
      content?: Array<{ type?: string; name?: string; input?: unknown }>;
      usage?: { input_tokens?: number; output_tokens?: number };
    };
    if (!Array.isArray(r?.content)) throw new Error("no content array");
    const tool = r.content.find((c) => c.type === "tool_use" && c.name === TOOL);
    if (!tool) throw new Error(`no ${TOOL} tool_use block`);
    return { content: tool.input, usage: usageOf(r.usage?.input_tokens, r.usage?.output_tokens) };
  },
  errorMessage: (reply) => {
    const m = (reply as { error?: { message?: unknown } } | undefined)?.error?.message;
    return typeof m === "string" ? m : undefined;
  },
};

const workersAi: TagProvider = {
  name: "workers-ai",
  keyVars: ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN"],
  baseUrlVar: "SPOTIVEC_WORKERS_AI_BASE_URL",
  defaultBaseUrl: "https://api.cloudflare.com/client/v4",
  request: (model, lines, keys, baseUrl) => ({
    url: `${baseUrl}/accounts/${encodeURIComponent(keys.CLOUDFLARE_ACCOUNT_ID ?? "")}/ai/run/${model}`,
    headers: { authorization: `Bearer ${keys.CLOUDFLARE_API_TOKEN ?? ""}` },
    body: {
      messages: [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: userPrompt(lines) },
      ],
      response_format: { type: "json_schema", json_schema: REPLY_SCHEMA },
      max_tokens: MAX_OUTPUT_TOKENS,
      temperature: 0,
    },
  }),
  parse: (reply) => {
    const r = reply as {
      success?: boolean;
      result?: { response?: unknown; usage?: { prompt_tokens?: number; completion_tokens?: number } };
    };
    if (r?.success === false || r?.result?.response === undefined) throw new Error("no result.response");
    return {
      content: r.result.response,
      usage: usageOf(r.result.usage?.prompt_tokens, r.result.usage?.completion_tokens),
    };
  },
  errorMessage: (reply) => {
    const errors = (reply as { errors?: Array<{ message?: unknown }> } | undefined)?.errors;
    const m = errors?.[0]?.message;
    return typeof m === "string" ? m : undefined;
  },
};

export const TAG_PROVIDERS: Readonly<Record<ProviderName, TagProvider>> = {
  openai: openaiLike("openai", ["OPENAI_API_KEY"], "SPOTIVEC_OPENAI_BASE_URL", "https://api.openai.com/v1"),
  anthropic,
  "workers-ai": workersAi,
  // Ollama's OpenAI-compatible endpoint; no key (OPENAI_API_KEY is sent when set, for servers that want one).
  ollama: openaiLike("ollama", [], "SPOTIVEC_OLLAMA_BASE_URL", "http://localhost:11434/v1"),
};

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(TAG_PROVIDERS, name);
}
