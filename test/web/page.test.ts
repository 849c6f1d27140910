import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeFixtures, writeGeneratedCatalog } from "../helpers.js";
import { BUILT, CHROMIUM, ROOT, startServe } from "./serve-process.js";

const ARTIFACTS = join(ROOT, "test-artifacts");

/** Where a track's dot lies on the map canvas (energy left to right, valence bottom to top, 6 px inside). */
async function pointOf(page: Page, row: Locator): Promise<{ x: number; y: number }> {
  const box = await page.locator("#map").boundingBox();
  if (!box) throw new Error("the map is not visible");
  const energy = Number(await row.getAttribute("data-energy"));
  const valence = Number(await row.getAttribute("data-valence"));
  return { x: box.x + 6 + energy * (box.width - 12), y: box.y + 6 + (1 - valence) * (box.height - 12) };
}

const KEYS = ["C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B"];

describe.skipIf(!existsSync(CHROMIUM) || !BUILT)("the web page in headless Chromium", () => {
  let server: { url: string; child: ChildProcess };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const dir = tempDir();
    const db = join(dir, "web.db");
    const fx = writeFixtures(dir);
    writeGeneratedCatalog(join(dir, "more.csv"), 300);
    const r = await cli([
      "ingest",
      fx.dataset114k,
      join(dir, "more.csv"),
      "--db",
      db,
      "--model",
      "hash",
      "--json",
    ]);
    expect(r.code).toBe(0);
    server = await startServe(db);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
      colorScheme: "light",
    });
    // No network here: Spotify (links and the embedded player) is answered by a stub.
    await context.route("https://open.spotify.com/**", (route) =>
      route.fulfill({ body: "<title>Spotify</title><p>Spotify player</p>", contentType: "text/html" }),
    );
    page = await context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
  });

  it("searches from the box, fills the URL and shows the plan as chips with their sources", async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole("searchbox").fill("fast sad techno");
    await page.keyboard.press("Enter");
    await page.locator("li.track").first().waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("fast sad techno");
    expect(await page.locator("li.track").count()).toBeGreaterThan(0);
    expect(await page.locator(".chip").count()).toBeGreaterThanOrEqual(3);
    const sources = await page.locator(".chip .source").allTextContents();
    expect(sources).toContain("from word “fast”");
    expect(sources).toContain("from word “sad”");
  });

  it("shows each track on one compact row: name, artists, genre, BPM, key, bars, and the why on demand", async () => {
    const api = (await (
      await page.request.get(`${server.url}/api/search?q=fast%20sad%20techno&limit=25`)
    ).json()) as {
      results: Array<{ id: string; name: string; artists: string[]; features: Record<string, number> }>;
    };
    const first = api.results[0];
    if (!first) throw new Error("no results");
    const row = page.locator("li.track").first();
    expect(await row.getAttribute("data-id")).toBe(first.id);
    expect(await row.locator(".name").textContent()).toBe(first.name);
    expect(await row.locator(".artists").textContent()).toBe(first.artists.join(", "));
    expect(await row.locator(".bpm").textContent()).toBe(String(Math.round(first.features.tempo ?? 0)));
    const key = `${KEYS[first.features.key ?? -1]} ${first.features.mode === 1 ? "maj" : "min"}`;
    expect(await row.locator(".key").textContent()).toBe(key);
    expect(await row.locator(".bar").count()).toBe(3);
    expect(await row.locator(".bar.energy").getAttribute("aria-label")).toBe(
      `energy ${(first.features.energy ?? 0).toFixed(2)}`,
    );
    // One line: the row is no taller than two lines of text.
    expect((await row.boundingBox())?.height).toBeLessThan(44);
    const why = row.locator(".why");
    expect(await why.isVisible()).toBe(false);
    await row.getByRole("button", { name: `Why ${first.name}` }).click();
    expect(await why.isVisible()).toBe(true);
    expect(await why.textContent()).toContain("why:");
    await page.getByLabel("Show why").check();
    await expect
      .poll(() => page.locator("li.track .why:visible").count())
      .toBe(await page.locator("li.track").count());
    await page.getByLabel("Show why").uncheck();
  });

  it("re-runs the search without a chip that is removed", async () => {
    const chips = page.locator(".chip");
    const before = await chips.count();
    const label = (await chips.first().locator(".label").textContent()) ?? "";
    const id = (await chips.first().getAttribute("data-id")) ?? "";
    expect(id).toMatch(/^[a-z0-9+-]+$/);
    await chips.first().getByRole("button").click();
    // Shared URLs name the constraint by its stable id, not by its wording.
    await expect.poll(() => new URL(page.url()).searchParams.getAll("drop")).toContain(id);
    await expect.poll(() => chips.count()).toBe(before - 1);
    await expect
      .poll(() => page.locator(".note").allTextContents())
      .toContainEqual(expect.stringContaining(label));
  });

  it("filters with labelled sliders moved by keyboard, and shows the filter as a chip from option", async () => {
    const out = page.locator("#energy_out");
    expect(await out.textContent()).toBe("any");
    expect(await page.locator("#energy_label").textContent()).toBe("Energy");
    const slider = page.getByRole("slider", { name: "from (Energy)" });
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
    expect(await out.textContent()).toBe("at least 0.50");
    await slider.dispatchEvent("change");
    await expect.poll(() => new URL(page.url()).searchParams.get("energy_min")).toBe("0.5");
    const lowest = async () => {
      const energies = await page
        .locator("li.track")
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-energy"))));
      return energies.length === 0 ? -1 : Math.min(...energies);
    };
    // Once the new results are in, every one of them has energy >= 0.5.
    await expect.poll(lowest).toBeGreaterThanOrEqual(0.5);
    const chip = page.locator('.chip[data-source="option"]').filter({ hasText: "energy at least 0.50" });
    await expect.poll(() => chip.count()).toBe(1);
    expect(await chip.locator(".source").textContent()).toBe("from option");
    // Removing the option's chip clears the filter.
    await chip.getByRole("button").click();
    await expect.poll(() => new URL(page.url()).searchParams.has("energy_min")).toBe(false);
    await expect.poll(() => out.textContent()).toBe("any");
    // Genre and explicit have readable controls too.
    await page.getByLabel("Explicit lyrics").selectOption("false");
    await expect.poll(() => new URL(page.url()).searchParams.get("explicit")).toBe("false");
    expect(await page.locator("#tempo_out").textContent()).toBe("any");
  });

  it("selects three tracks, saves them as a playlist and exports M3U8", async () => {
    await page.goto(`${server.url}/?q=energetic&limit=25`);
    await page.locator("li.track").nth(3).waitFor();
    const rows = page.locator("li.track");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await rows.nth(i).locator(".pick").check();
      ids.push((await rows.nth(i).getAttribute("data-id")) ?? "");
    }
    expect(await page.locator("#selected-count").textContent()).toBe("3 selected");
    await page.getByRole("button", { name: "Save as playlist…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Web picks");
    await dialog.getByRole("button", { name: "Save" }).click();
    const item = page.locator('#playlists li[data-name="Web picks"]');
    await item.waitFor();
    expect(await item.locator(".pl-count").textContent()).toBe("3 tracks");
    expect(await page.locator("#selected-count").textContent()).toBe("0 selected");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      item.getByRole("link", { name: "Export" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("Web picks.m3u8");
    const m3u = readFileSync(await download.path(), "utf8");
    expect(m3u.startsWith("#EXTM3U")).toBe(true);
    expect(m3u.match(/^#EXTINF:/gm)).toHaveLength(3);
    for (const id of ids) expect(m3u).toContain(`spotify:track:${id}`);
    writeFileSync(join(ARTIFACTS, "web-export.m3u8"), m3u);

    await item.getByLabel("Format for Web picks").selectOption("xspf");
    const [xspf] = await Promise.all([
      page.waitForEvent("download"),
      item.getByRole("link", { name: "Export" }).click(),
    ]);
    expect(xspf.suggestedFilename()).toBe("Web picks.xspf");
    expect(readFileSync(await xspf.path(), "utf8")).toContain("<playlist");
  });

  it("names a track when its point on the map is hovered, and opens it on click", async () => {
    const first = page.locator("li.track").first();
    const name = (await first.locator(".name").textContent()) ?? "";
    const { x, y } = await pointOf(page, first);
    await page.mouse.move(x, y);
    const tip = page.locator("#map-tip");
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain(name);
    await page.mouse.click(x, y);
    await expect
      .poll(() => page.locator("li.track.current").getAttribute("data-id"))
      .toBe(await first.getAttribute("data-id"));
    expect(await page.locator("#now-track").textContent()).toContain(name);
    // Online: the embedded player plays the selected track.
    const id = await first.getAttribute("data-id");
    expect(await page.locator("#player iframe").getAttribute("src")).toBe(
      `https://open.spotify.com/embed/track/${id}`,
    );
    await page.mouse.move(x + 400, y);
    await expect.poll(() => tip.isVisible()).toBe(false);
  });

  it("steps through the map's points by keyboard", async () => {
    const second = page.locator("li.track").nth(1);
    await page.locator("#map").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#map-tip").textContent()).toContain(
      await second.locator(".name").textContent(),
    );
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator("li.track.current").getAttribute("data-id"))
      .toBe(await second.getAttribute("data-id"));
  });

  it("shows the player only while the browser is online", async () => {
    await context.setOffline(true);
    await expect.poll(() => page.locator("#player").textContent()).toContain("Offline");
    expect(await page.locator("#player iframe").count()).toBe(0);
    await context.setOffline(false);
    await expect.poll(() => page.locator("#player iframe").count()).toBe(1);
  });

  it("opens a track on Spotify", async () => {
    const link = page.locator("li.track a.open").first();
    const id = await page.locator("li.track").first().getAttribute("data-id");
    expect(await link.getAttribute("href")).toBe(`https://open.spotify.com/track/${id}`);
    const [popup] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toContain(`open.spotify.com/track/${id}`);
    await popup.close();
  });

  it("shows at least 12 rows on a 1280x800 screen", async () => {
    await page.goto(`${server.url}/?q=energetic&limit=25`);
    await page.locator("li.track").nth(12).waitFor();
    await page.locator("li.track").nth(1).locator(".pick").check();
    await page.locator("li.track").nth(4).locator(".pick").check();
    const visible = await page
      .locator("li.track")
      .evaluateAll(
        (rows) =>
          rows.filter(
            (r) =>
              r.getBoundingClientRect().bottom <=
              (globalThis as unknown as { innerHeight: number }).innerHeight,
          ).length,
      );
    expect(visible).toBeGreaterThanOrEqual(12);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, "web-desktop.png") });
  });

  it("switches to dark mode with the toggle, and remembers it", async () => {
    const background = () => page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    expect(await background()).toBe("rgb(246, 246, 248)");
    await page.getByRole("button", { name: "Dark mode" }).click();
    expect(await page.getByRole("button", { name: "Dark mode" }).getAttribute("aria-pressed")).toBe("true");
    expect(await background()).toBe("rgb(18, 18, 22)");
    await page.reload();
    await page.locator("li.track").first().waitFor();
    expect(await background()).toBe("rgb(18, 18, 22)");
    await page.screenshot({ path: join(ARTIFACTS, "web-desktop-dark.png") });
    await page.getByRole("button", { name: "Dark mode" }).click();
    expect(await background()).toBe("rgb(246, 246, 248)");
  });

  it("follows the system's dark mode when nothing was chosen", async () => {
    const dark = await browser.newContext({ colorScheme: "dark", viewport: { width: 800, height: 600 } });
    const p = await dark.newPage();
    await p.goto(`${server.url}/`);
    expect(await p.evaluate<string>("getComputedStyle(document.body).backgroundColor")).toBe(
      "rgb(18, 18, 22)",
    );
    await dark.close();
  });

  it("works on a 390 px wide phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/?q=energetic&limit=25`);
    await page.locator("li.track").first().waitFor();
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).toBeLessThanOrEqual(390);
    for (const sel of ["li.track", "#map", "#filters-panel", "#q"]) {
      const box = await page.locator(sel).first().boundingBox();
      expect(box, sel).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), sel).toBeLessThanOrEqual(390);
    }
    // Every row still shows its name, BPM and key.
    const row = page.locator("li.track").first();
    for (const sel of [".name", ".bpm", ".key", ".pick"])
      expect(await row.locator(sel).isVisible(), sel).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "web-phone.png") });
    await page.screenshot({ path: join(ARTIFACTS, "web-phone-full.png"), fullPage: true });
    expect(existsSync(join(ARTIFACTS, "web-phone.png"))).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("shows an error state and an empty state", async () => {
    await page.goto(`${server.url}/?q=${"x".repeat(501)}`);
    await expect.poll(() => page.locator("#status").textContent()).toContain("Something went wrong");
    await page.goto(`${server.url}/?q=techno&tempo_min=299`);
    await expect.poll(() => page.locator("#status").textContent()).toContain("No tracks match");
    expect(await page.locator("#tempo_out").textContent()).toBe("at least 299 BPM");
  });
});

if (!existsSync(CHROMIUM) || !BUILT) {
  describe("the web page in headless Chromium", () => {
    it.skip(`skipped: ${!existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install chromium)` : "dist/ is missing (npm run build)"}`, () => {});
  });
}
