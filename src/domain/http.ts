/**
 * JSON over HTTP with the retry policy every remote API client shares (remote embedders, LLM taggers): retries on a
 * network failure, on 429 (honouring Retry-After) and on 5xx with bounded exponential backoff; any other refusal is
 * returned at once for the caller to explain. Callers turn the outcome into their own SpotivecError.
 */

export interface RetryPolicy {
  /** Tries per request before giving up (default 5). */
  maxAttempts?: number;
  /** First backoff in ms for a 5xx or a 429 without Retry-After; doubled per try (default 500). */
  backoffMs?: number;
  /** Longest single wait in ms, Retry-After included (default 30 s). */
  maxWaitMs?: number;
  /** Per-request timeout in ms (default 60 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface JsonReply {
  status: number;
  headers: Headers;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
  text: string;
}

export type SendOutcome =
  /** A 2xx reply. */
  | { kind: "ok"; reply: JsonReply; attempts: number }
  /** A 4xx other than 429: retrying would not help. */
  | { kind: "refused"; reply: JsonReply; attempts: number }
  /** Every try failed (network, 429 or 5xx); `last` says how the last one did. */
  | { kind: "exhausted"; last: string; attempts: number };

export interface SendRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string or FormData. */
  body?: unknown;
  /** The API's own message in an error body, for `last`. */
  errorMessage?: (json: unknown) => string | undefined;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function encodeBody(body: unknown): { body?: string | FormData; json: boolean } {
  if (body === undefined) return { json: false };
  if (typeof body === "string" || body instanceof FormData) return { body, json: false };
  return { body: JSON.stringify(body), json: true };
}

async function readReply(res: Response): Promise<JsonReply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** One request under the retry policy. */
export async function sendWithRetry(req: SendRequest, policy: RetryPolicy = {}): Promise<SendOutcome> {
  const doFetch = policy.fetch ?? fetch;
  const sleep = policy.sleep ?? defaultSleep;
  const maxAttempts = policy.maxAttempts ?? 5;
  const backoff = policy.backoffMs ?? 500;
  const maxWait = policy.maxWaitMs ?? 30_000;
  const timeoutMs = policy.timeoutMs ?? 60_000;
  const encoded = encodeBody(req.body);
  const headers = { ...(encoded.json ? { "content-type": "application/json" } : {}), ...req.headers };
  let last = "";
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const wait = (asked: number | null) =>
      attempt < maxAttempts ? sleep(Math.min(maxWait, asked ?? backoff * 2 ** (attempt - 1))) : undefined;
    let res: Response;
    try {
      res = await doFetch(req.url, {
        method: req.method ?? "POST",
        headers,
        body: encoded.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      last = cause instanceof Error ? cause.message : String(cause);
      await wait(null);
      continue;
    }
    const reply = await readReply(res);
    if (res.ok) return { kind: "ok", reply, attempts: attempt };
    last = refusalText(reply, req.errorMessage);
    if (res.status !== 429 && res.status < 500) return { kind: "refused", reply, attempts: attempt };
    await wait(res.status === 429 ? retryAfterMs(res.headers.get("retry-after")) : null);
  }
  return { kind: "exhausted", last, attempts: maxAttempts };
}

/** "HTTP 400: message" for a refused reply. */
export function refusalText(reply: JsonReply, errorMessage?: (json: unknown) => string | undefined): string {
  const message = errorMessage?.(reply.json) ?? reply.text.slice(0, 200);
  return `HTTP ${reply.status}${message ? `: ${message}` : ""}`;
}
