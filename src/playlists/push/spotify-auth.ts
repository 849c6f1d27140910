/**
 * Spotify authorization for the user's own app: Authorization Code with PKCE through a loopback redirect
 * (https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow), tokens kept on disk and
 * refreshed (https://developer.spotify.com/documentation/web-api/tutorials/refreshing-tokens). Redirect URIs must
 * use the loopback IP literal, never "localhost"; one registered without a port accepts any port
 * (https://developer.spotify.com/documentation/web-api/concepts/redirect_uri).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isSpotivecError } from "../../domain/errors.js";
import { authError, serviceError } from "./errors.js";
import { request } from "./http.js";
import { readTokens, type StoredTokens, spotifyTokenPath, writeTokens } from "./tokens.js";

export const SPOTIFY_SCOPES = "playlist-modify-private playlist-modify-public";

export interface SpotifyEndpoints {
  /** https://accounts.spotify.com, or SPOTIVEC_SPOTIFY_ACCOUNTS_URL. */
  accounts: string;
  /** https://api.spotify.com, or SPOTIVEC_SPOTIFY_API_URL. */
  api: string;
}

export function spotifyEndpoints(env: NodeJS.ProcessEnv): SpotifyEndpoints {
  const trim = (s: string) => s.replace(/\/+$/, "");
  return {
    accounts: trim(env.SPOTIVEC_SPOTIFY_ACCOUNTS_URL || "https://accounts.spotify.com"),
    api: trim(env.SPOTIVEC_SPOTIFY_API_URL || "https://api.spotify.com"),
  };
}

export interface SpotifyAuthOptions {
  clientId: string;
  env: NodeJS.ProcessEnv;
  /** Opens the authorize URL for the user (a browser); the URL is always printed through `say` first. */
  openBrowser: (url: string) => void | Promise<void>;
  /** A line for the user (stderr). */
  say: (line: string) => void;
  /** Loopback port for the redirect; 0 picks a free one. */
  port?: number;
  /** How long to wait for the user to approve, in milliseconds. */
  timeoutMs?: number;
  now?: () => number;
}

const base64url = (b: Buffer) => b.toString("base64url");

/** A code verifier (86 characters of [A-Za-z0-9_-]) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(64));
  return { verifier, challenge: base64url(createHash("sha256").update(verifier).digest()) };
}

interface Callback {
  redirectUri: string;
  code: Promise<string>;
  close: () => void;
}

function callbackPage(res: import("node:http").ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><title>spotivec</title><p>${text}</p>`);
}

/** Listens on 127.0.0.1 for /callback and resolves with the code once a redirect with our state arrives. */
async function listenForCode(port: number, state: string, timeoutMs: number): Promise<Callback> {
  let settle: { resolve: (code: string) => void; reject: (e: Error) => void } | null = null;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Handled where it is awaited; this keeps a rejection that comes first (a timeout) from counting as unhandled.
  code.catch(() => {});
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/callback") return callbackPage(res, 404, "Not found.");
    if (url.searchParams.get("state") !== state) return callbackPage(res, 400, "Unexpected state; ignored.");
    const error = url.searchParams.get("error");
    const got = url.searchParams.get("code");
    if (error !== null || got === null) {
      callbackPage(res, 400, "Authorization was not granted. You can close this tab.");
      settle?.reject(
        authError("Spotify did not authorize spotivec", {
          expected: "approval on the Spotify page",
          got: error ?? "a redirect without a code",
          hint: "Run the push again and choose Agree; check that the app's redirect URI is http://127.0.0.1/callback.",
        }),
      );
    } else {
      callbackPage(res, 200, "spotivec is authorized. You can close this tab.");
      settle?.resolve(got);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        authError(`Could not listen for Spotify's redirect on 127.0.0.1:${port}`, {
          expected: "a free loopback port",
          got: e.code ?? e.message,
          hint: "Pick another --port, or leave it out to use a free one.",
        }),
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const timer = setTimeout(
    () =>
      settle?.reject(
        authError("Timed out waiting for Spotify's authorization", {
          expected: `approval within ${Math.round(timeoutMs / 1000)} s`,
          got: "no redirect",
          hint: "Open the printed URL in a browser on this machine and approve, or raise --timeout.",
        }),
      ),
    timeoutMs,
  );
  const { port: bound } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${bound}/callback`,
    code,
    close: () => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    },
  };
}

export function authorizeUrl(
  accounts: string,
  p: { clientId: string; redirectUri: string; challenge: string; state: string },
): string {
  const q = new URLSearchParams({
    client_id: p.clientId,
    response_type: "code",
    redirect_uri: p.redirectUri,
    code_challenge_method: "S256",
    code_challenge: p.challenge,
    state: p.state,
    scope: SPOTIFY_SCOPES,
  });
  return `${accounts}/authorize?${q}`;
}

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
}

/** POST /api/token (form-encoded): the answer, or a SpotivecError with Spotify's error and description. */
async function tokenRequest(endpoints: SpotifyEndpoints, form: Record<string, string>): Promise<TokenAnswer> {
  const res = await request("Spotify accounts", `${endpoints.accounts}/api/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  const body = (res.json ?? {}) as Partial<TokenAnswer> & { error?: string; error_description?: string };
  if (res.status === 200 && typeof body.access_token === "string") return body as TokenAnswer;
  const error = body.error ?? `HTTP ${res.status}`;
  const details = {
    expected: "an access token",
    got: body.error_description ? `${error}: ${body.error_description}` : error,
  };
  if (error === "invalid_client")
    throw authError("Spotify does not know this client id", {
      ...details,
      hint: "Copy the Client ID from your app in https://developer.spotify.com/dashboard (--client-id or SPOTIVEC_SPOTIFY_CLIENT_ID).",
    });
  if (res.status >= 400 && res.status < 500) throw authError("Spotify refused the token request", details);
  throw serviceError("Spotify's token endpoint failed", { ...details, hint: "Try again in a moment." });
}

function stored(clientId: string, t: TokenAnswer, now: number, previous: string | null): StoredTokens {
  return {
    clientId,
    accessToken: t.access_token,
    // Spotify may or may not rotate the refresh token; keep the old one when it does not send a new one.
    refreshToken: t.refresh_token ?? previous,
    expiresAt: now + t.expires_in * 1000,
    scope: t.scope ?? SPOTIFY_SCOPES,
  };
}

/** The full PKCE flow: print the URL, open it, wait for the redirect, exchange the code. */
export async function authorize(o: SpotifyAuthOptions): Promise<StoredTokens> {
  const endpoints = spotifyEndpoints(o.env);
  const { verifier, challenge } = pkcePair();
  const state = base64url(randomBytes(16));
  const callback = await listenForCode(o.port ?? 0, state, o.timeoutMs ?? 180_000);
  try {
    const url = authorizeUrl(endpoints.accounts, {
      clientId: o.clientId,
      redirectUri: callback.redirectUri,
      challenge,
      state,
    });
    o.say(`Authorize spotivec in your browser (waiting for the redirect to ${callback.redirectUri}):`);
    o.say(url);
    await o.openBrowser(url);
    const code = await callback.code;
    const now = (o.now ?? Date.now)();
    const answer = await tokenRequest(endpoints, {
      grant_type: "authorization_code",
      code,
      redirect_uri: callback.redirectUri,
      client_id: o.clientId,
      code_verifier: verifier,
    });
    return stored(o.clientId, answer, now, null);
  } finally {
    callback.close();
  }
}

/** New tokens from the refresh token; null when Spotify no longer accepts it (then authorize again). */
export async function refresh(o: SpotifyAuthOptions, old: StoredTokens): Promise<StoredTokens | null> {
  if (old.refreshToken === null) return null;
  const now = (o.now ?? Date.now)();
  try {
    const answer = await tokenRequest(spotifyEndpoints(o.env), {
      grant_type: "refresh_token",
      refresh_token: old.refreshToken,
      client_id: o.clientId,
    });
    return stored(o.clientId, answer, now, old.refreshToken);
  } catch (e) {
    if (isSpotivecError(e) && e.got.startsWith("invalid_grant")) return null;
    throw e;
  }
}

/** Refresh a minute before the expiry, so a long push never starts with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * A valid access token: the stored one while fresh, else refreshed, else a new authorization; whatever is new is
 * saved. `force` refreshes even a token that looks fresh (the API said 401).
 */
export async function accessToken(o: SpotifyAuthOptions, force = false): Promise<string> {
  const path = spotifyTokenPath(o.env);
  const now = (o.now ?? Date.now)();
  const saved = readTokens(path);
  const mine = saved?.clientId === o.clientId ? saved : null;
  if (mine && !force && mine.expiresAt - EXPIRY_MARGIN_MS > now) return mine.accessToken;
  const next = (mine ? await refresh(o, mine) : null) ?? (await authorize(o));
  writeTokens(path, next);
  return next.accessToken;
}
