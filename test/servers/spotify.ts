/**
 * A local stand-in for Spotify's accounts service and Web API, following their documented behaviour:
 * - GET /authorize redirects to redirect_uri with code and state
 *   (https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow);
 * - POST /api/token: authorization_code (code_verifier checked against the S256 challenge) and refresh_token
 *   (https://developer.spotify.com/documentation/web-api/tutorials/refreshing-tokens);
 * - POST /v1/me/playlists (https://developer.spotify.com/documentation/web-api/reference/create-playlist) and
 *   POST /v1/playlists/{id}/items, at most 100 URIs
 *   (https://developer.spotify.com/documentation/web-api/reference/add-items-to-playlist), with a bearer token,
 *   429 with Retry-After on demand, and the Development Mode 403s
 *   (https://developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide).
 * Listens on 127.0.0.1 only, port 0.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./http.js";

export interface SpotifyServerOptions {
  clientId: string;
  /** Seconds an access token lives. */
  expiresIn?: number;
  /** Answer the next item request with 429 and this Retry-After (once). */
  rateLimitOnce?: string;
  /** Answer playlist creation with a Development Mode 403. */
  forbidden?: "allowlist" | "premium" | null;
}

export interface SpotifyServer {
  url: string;
  options: SpotifyServerOptions;
  /** What happened, for the tests to check. */
  log: {
    authorize: URLSearchParams[];
    token: URLSearchParams[];
    created: Array<{ id: string; name: string; description: string; public: boolean }>;
    items: Array<{ playlistId: string; uris: string[] }>;
    rateLimited: number;
  };
  /** Lets a refresh token be used without an authorization first. */
  seedRefreshToken(token: string): void;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const apiError = (res: ServerResponse, status: number, message: string) =>
  send(res, status, { error: { status, message } });

const b64url = (b: Buffer) => b.toString("base64url");

export async function startSpotifyServer(options: SpotifyServerOptions): Promise<SpotifyServer> {
  const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
  const access = new Map<string, number>();
  const refresh = new Set<string>();
  const log: SpotifyServer["log"] = { authorize: [], token: [], created: [], items: [], rateLimited: 0 };
  const issue = (res: ServerResponse) => {
    const token = b64url(randomBytes(16));
    const refreshToken = b64url(randomBytes(16));
    const expiresIn = options.expiresIn ?? 3600;
    access.set(token, Date.now() + expiresIn * 1000);
    refresh.add(refreshToken);
    send(res, 200, {
      access_token: token,
      token_type: "Bearer",
      scope: "playlist-modify-private playlist-modify-public",
      expires_in: expiresIn,
      refresh_token: refreshToken,
    });
  };

  const authorize = (q: URLSearchParams, res: ServerResponse) => {
    log.authorize.push(q);
    const redirect = q.get("redirect_uri") ?? "";
    if (q.get("client_id") !== options.clientId)
      return send(res, 400, { error: "INVALID_CLIENT: Invalid client" });
    if (!/^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(redirect))
      return send(res, 400, { error: "INVALID_CLIENT: Invalid redirect URI" });
    if (
      q.get("response_type") !== "code" ||
      q.get("code_challenge_method") !== "S256" ||
      !q.get("code_challenge")
    )
      return send(res, 400, { error: "invalid_request" });
    const code = b64url(randomBytes(12));
    codes.set(code, {
      challenge: q.get("code_challenge") as string,
      redirectUri: redirect,
      clientId: options.clientId,
    });
    const to = new URL(redirect);
    to.searchParams.set("code", code);
    to.searchParams.set("state", q.get("state") ?? "");
    res.writeHead(302, { location: to.toString() });
    res.end();
  };

  const token = (form: URLSearchParams, res: ServerResponse) => {
    log.token.push(form);
    if (form.get("client_id") !== options.clientId) return send(res, 400, { error: "invalid_client" });
    if (form.get("grant_type") === "authorization_code") {
      const grant = codes.get(form.get("code") ?? "");
      if (!grant || grant.redirectUri !== form.get("redirect_uri"))
        return send(res, 400, { error: "invalid_grant", error_description: "Invalid authorization code" });
      const challenge = b64url(
        createHash("sha256")
          .update(form.get("code_verifier") ?? "")
          .digest(),
      );
      if (challenge !== grant.challenge)
        return send(res, 400, { error: "invalid_grant", error_description: "code_verifier was incorrect" });
      codes.delete(form.get("code") ?? "");
      return issue(res);
    }
    if (form.get("grant_type") === "refresh_token") {
      if (!refresh.delete(form.get("refresh_token") ?? ""))
        return send(res, 400, { error: "invalid_grant", error_description: "Invalid refresh token" });
      return issue(res);
    }
    send(res, 400, { error: "unsupported_grant_type" });
  };

  const api = async (req: IncomingMessage, path: string, res: ServerResponse) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const expires = access.get(bearer);
    if (expires === undefined) return apiError(res, 401, "Invalid access token");
    if (expires <= Date.now()) return apiError(res, 401, "The access token expired");
    const body = JSON.parse((await readBody(req)) || "{}");
    if (req.method === "POST" && path === "/v1/me/playlists") {
      if (options.forbidden === "allowlist") {
        // Spotify answers this one in plain text.
        res.writeHead(403, { "content-type": "text/plain" });
        return void res.end("User not registered in the Developer Dashboard");
      }
      if (options.forbidden === "premium")
        return apiError(
          res,
          403,
          "Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again.",
        );
      if (typeof body.name !== "string") return apiError(res, 400, "Missing required field: name");
      const id = b64url(randomBytes(16)).slice(0, 22);
      log.created.push({ id, name: body.name, description: body.description ?? "", public: body.public });
      return send(res, 201, {
        id,
        name: body.name,
        uri: `spotify:playlist:${id}`,
        external_urls: { spotify: `https://open.spotify.com/playlist/${id}` },
      });
    }
    const items = /^\/v1\/playlists\/([^/]+)\/items$/.exec(path);
    if (req.method === "POST" && items) {
      const playlistId = decodeURIComponent(items[1] as string);
      if (!log.created.some((p) => p.id === playlistId)) return apiError(res, 404, "Resource not found");
      if (options.rateLimitOnce !== undefined) {
        const after = options.rateLimitOnce;
        options.rateLimitOnce = undefined;
        log.rateLimited++;
        return send(
          res,
          429,
          { error: { status: 429, message: "API rate limit exceeded" } },
          { "retry-after": after },
        );
      }
      const uris: unknown = body.uris;
      if (!Array.isArray(uris) || uris.length === 0) return apiError(res, 400, "No uris provided");
      if (uris.length > 100) return apiError(res, 400, "Too many ids requested");
      if (!uris.every((u) => typeof u === "string" && /^spotify:track:[A-Za-z0-9]+$/.test(u)))
        return apiError(res, 400, "Invalid track uri");
      log.items.push({ playlistId, uris: uris as string[] });
      return send(res, 201, { snapshot_id: b64url(randomBytes(8)) });
    }
    apiError(res, 404, "Service not found");
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/authorize") return authorize(url.searchParams, res);
    if (req.method === "POST" && url.pathname === "/api/token")
      return void readBody(req).then((b) => token(new URLSearchParams(b), res));
    if (url.pathname.startsWith("/v1/")) return void api(req, url.pathname, res);
    send(res, 404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    options,
    log,
    seedRefreshToken: (t) => void refresh.add(t),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
