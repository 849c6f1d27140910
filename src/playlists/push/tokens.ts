/**
 * Spotify tokens on disk: $XDG_CONFIG_HOME/spotivec/spotify.json (default ~/.config), readable by the user only
 * (mode 0600, in a 0700 folder), written atomically so a crash never leaves half a file.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface StoredTokens {
  /** The app the tokens were issued to: another client id needs its own authorization. */
  clientId: string;
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  scope: string;
}

export function configDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "spotivec");
}

export function spotifyTokenPath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), "spotify.json");
}

/** The stored tokens, or null when there are none or the file is not what we wrote (then we authorize again). */
export function readTokens(path: string): StoredTokens | null {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  try {
    const t = JSON.parse(raw) as Partial<StoredTokens>;
    if (
      typeof t.clientId !== "string" ||
      typeof t.accessToken !== "string" ||
      typeof t.expiresAt !== "number"
    )
      return null;
    return {
      clientId: t.clientId,
      accessToken: t.accessToken,
      refreshToken: typeof t.refreshToken === "string" ? t.refreshToken : null,
      expiresAt: t.expiresAt,
      scope: typeof t.scope === "string" ? t.scope : "",
    };
  } catch {
    return null;
  }
}

export function writeTokens(path: string, tokens: StoredTokens): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
