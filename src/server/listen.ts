/**
 * The HTTP server around the app: binding (a busy port or an unknown host is a SERVE_BIND error, not an unhandled
 * 'error' event), requests Node refuses before the app sees them (a URL over 16 KB) answered with the one
 * `{ error }` body, and closing that lets the requests in flight finish first.
 */
import { type Server, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import { SpotivecError } from "../domain/errors.js";
import { httpError } from "./errors.js";

export interface Listening {
  server: Server;
  /** The port bound (the one the system chose for port 0). */
  port: number;
  /**
   * Stops accepting, lets the requests in flight finish (at most `drainMs`), then closes every connection. What
   * serves them (the model, the search threads) must outlive this: closed under a search, it fails or aborts.
   */
  close(): Promise<void>;
}

type Fetch = (request: Request) => Response | Promise<Response>;

/** Starts serving `fetch` on host:port; resolves once bound, rejects with SERVE_BIND when it cannot bind. */
export async function listen(
  fetch: Fetch,
  options: { port: number; host: string; drainMs?: number },
): Promise<Listening> {
  const inFlight = inFlightCounter(() => server.closeIdleConnections());
  const server = createAdaptorServer({ fetch: inFlight.counted(fetch), hostname: options.host }) as Server;
  server.on("clientError", answerClientError);
  server.on("request", (_request, response) => inFlight.until(response));
  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => reject(bindError(e, options.host, options.port));
    server.once("error", failed);
    server.listen(options.port, options.host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : options.port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drain(options.drainMs ?? 5000);
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Counts the work in flight: each call of the app, from its start until it settles (it goes on after its client
 * has gone), and each response until it is sent. While draining, each connection that goes idle is closed
 * (`closeIdle`) rather than left for a next request.
 */
function inFlightCounter(closeIdle: () => void) {
  let count = 0;
  let draining = false;
  let drained: (() => void) | null = null;
  const end = () => {
    count--;
    if (!draining) return;
    closeIdle();
    if (count === 0) drained?.();
  };
  return {
    counted:
      (fetch: Fetch): Fetch =>
      async (request) => {
        count++;
        try {
          return await fetch(request);
        } finally {
          end();
        }
      },
    until: (response: ServerResponse) => {
      count++;
      response.once("close", end);
    },
    /** Resolves once nothing is in flight, or after `ms`. */
    drain: async (ms: number) => {
      draining = true;
      closeIdle();
      if (count === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        drained = resolve;
        timer = setTimeout(resolve, ms);
      });
      clearTimeout(timer);
    },
  };
}

/** Why the server could not bind, and what to do instead. */
export function bindError(e: NodeJS.ErrnoException, host: string, port: number): SpotivecError {
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const details = {
    expected: "an address and port this machine can bind",
    got: `${e.code ?? "error"} on ${where}`,
  };
  const cause = { cause: e };
  switch (e.code) {
    case "EADDRINUSE":
      return new SpotivecError(
        "SERVE_BIND",
        `port ${port} is already in use on ${host}`,
        {
          ...details,
          hint: `Choose another --port (--port 0 takes any free one), or stop what is listening on ${port}.`,
        },
        cause,
      );
    case "EACCES":
      return new SpotivecError(
        "SERVE_BIND",
        `not allowed to bind ${where}`,
        {
          ...details,
          hint: "Choose a --port above 1023, or --host 127.0.0.1.",
        },
        cause,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return new SpotivecError(
        "SERVE_BIND",
        `cannot resolve the host ${host}`,
        {
          ...details,
          hint: "Give --host an address of this machine, such as --host 127.0.0.1 (loopback) or --host 0.0.0.0.",
        },
        cause,
      );
    case "EADDRNOTAVAIL":
      return new SpotivecError(
        "SERVE_BIND",
        `${host} is not an address of this machine`,
        {
          ...details,
          hint: "Use --host 127.0.0.1 (loopback), or --host 0.0.0.0 for every interface.",
        },
        cause,
      );
    default:
      return new SpotivecError("SERVE_BIND", `cannot listen on ${where}: ${e.message}`, details, cause);
  }
}

/** What Node's parser refused, as the API's JSON error; a URL over 16 KB is a 431. */
export function clientErrorResponse(code: string | undefined): { status: number; body: string } {
  const [status, error] =
    code === "HPE_HEADER_OVERFLOW"
      ? [
          431,
          new SpotivecError("BAD_REQUEST", "the URL (with the headers) is over 16 KB", {
            hint: "Shorten the URL: q takes at most 500 characters, and each filter is one short parameter.",
          }),
        ]
      : code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [
            408,
            new SpotivecError("BAD_REQUEST", "the request took too long to arrive", {
              hint: "Send it again.",
            }),
          ]
        : [
            400,
            new SpotivecError("BAD_REQUEST", `malformed HTTP request (${code ?? "parse error"})`, {
              hint: "Send a well-formed HTTP/1.1 request.",
            }),
          ];
  return { status, body: JSON.stringify(httpError(error).body) };
}

function answerClientError(e: NodeJS.ErrnoException, socket: Duplex): void {
  if (e.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, body } = clientErrorResponse(e.code);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      "content-type: application/json; charset=UTF-8\r\n" +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}
