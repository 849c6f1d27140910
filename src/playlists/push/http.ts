/** HTTP for the pushes: fetch with a timeout, failures to connect said plainly, bodies read as JSON or text. */
import { serviceError } from "./errors.js";

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  json: unknown;
  text: string;
}

const TIMEOUT_MS = 30_000;

/** One request; a network failure (refused, unknown host, timeout) is a SpotivecError naming the service and URL. */
export async function request(service: string, url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw serviceError(
      `Could not reach ${service}`,
      {
        expected: `an answer from ${new URL(url).origin}`,
        got: cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)),
        hint: `Check the address and your network connection, then try again.`,
      },
      e,
    );
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** At most `limit` calls of fn at once, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
