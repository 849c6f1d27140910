import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, FIXTURE_IDS, tempDir, writeFixtures } from "../helpers.js";
import { type SubsonicServer, startSubsonicServer } from "../servers/subsonic.js";
import { BUILT, CHROMIUM, ROOT, startServe } from "./serve-process.js";

// Push from the page needs the built push route as well as the worker.
const PUSH_BUILT = BUILT && existsSync(join(ROOT, "dist", "server", "push.js"));
const ARTIFACTS = join(ROOT, "test-artifacts");

describe.skipIf(!existsSync(CHROMIUM) || !PUSH_BUILT)("pushing from the page (headless Chromium)", () => {
  let subsonic: SubsonicServer;
  let server: { url: string; child: ChildProcess };
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dir = tempDir("spotivec-web-push-");
    const db = join(dir, "web.db");
    const fx = writeFixtures(dir);
    expect((await cli(["ingest", fx.dataset114k, "--db", db, "--model", "hash", "--json"])).code).toBe(0);
    // The library has "Target Lock" (its artist spelt without the diacritics), not Dax J's "Reign Of Terror".
    subsonic = await startSubsonicServer({ ana: "page pass" }, [
      { id: "song-1", title: "Target Lock", artist: "Rodhad", album: "Anxious", duration: 402 },
    ]);
    server = await startServe(db, ["--workers", "1"], {
      XDG_CONFIG_HOME: join(dir, "config"),
      SPOTIVEC_SUBSONIC_URL: subsonic.url,
      SPOTIVEC_SUBSONIC_USER: "ana",
      SPOTIVEC_SUBSONIC_PASSWORD: "page pass",
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: "light",
    });
    await context.route("https://open.spotify.com/**", (route) =>
      route.fulfill({ body: "<title>Spotify</title>", contentType: "text/html" }),
    );
    page = await context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
    await subsonic?.close();
  });

  it("saves a selection and pushes it to the configured Subsonic server, showing matched and unmatched", async () => {
    await page.goto(`${server.url}/?q=techno`);
    for (const id of [FIXTURE_IDS.techno, FIXTURE_IDS.technoTwin])
      await page.locator(`li.track[data-id="${id}"] .pick`).check();
    expect(await page.locator("#selected-count").textContent()).toBe("2 selected");
    await page.getByRole("button", { name: "Save as playlist…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Pushed picks");
    await dialog.getByRole("button", { name: "Save" }).click();
    const item = page.locator('#playlists li[data-name="Pushed picks"]');
    await item.waitFor();

    // Only the configured service has a button: no Spotify tokens are stored for this server.
    expect(await item.getByRole("button", { name: /^Push .* to Spotify$/ }).count()).toBe(0);
    await item.getByRole("button", { name: "Push Pushed picks to Subsonic" }).click();
    const result = page.locator("#push-result");
    await expect.poll(() => result.getAttribute("class")).toBe("ok");
    const text = (await result.textContent()) ?? "";
    expect(text).toContain(
      `Pushed “Pushed picks” to ${subsonic.url}: 1 of 2 tracks added, 1 not found there:`,
    );
    expect(await result.locator(".unmatched li").allTextContents()).toEqual(["Dax J — Reign Of Terror"]);
    expect([...subsonic.playlists.values()]).toEqual([
      { id: "1", name: "Pushed picks", owner: "ana", songIds: ["song-1"] },
    ]);
    await result.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "web-push.png") });
  });

  it("shows the error's message and hint when the push fails", async () => {
    await subsonic.close();
    const item = page.locator('#playlists li[data-name="Pushed picks"]');
    await item.getByRole("button", { name: "Push Pushed picks to Subsonic" }).click();
    const result = page.locator("#push-result");
    await expect.poll(() => result.getAttribute("class")).toBe("error");
    expect(await result.locator(".message").textContent()).toContain("Could not reach the Subsonic server");
    expect(await result.locator(".hint").textContent()).toContain("Check the address");
    expect(await item.getByRole("button", { name: "Push Pushed picks to Subsonic" }).isEnabled()).toBe(true);
  });
});
