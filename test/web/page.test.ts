import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeFixtures, writeGeneratedCatalog } from "../helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const CHROMIUM = "/usr/bin/chromium";
const BUILT = existsSync(join(ROOT, "dist", "server", "worker.js"));
const ARTIFACTS = join(ROOT, "test-artifacts");

/** Starts `spotivec serve` (the built one: worker threads load compiled files) and returns its base URL. */
async function startServer(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin", "spotivec.js"), "serve", "--db", db, "--port", "0"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
  });
  return { url, child };
}

describe.skipIf(!existsSync(CHROMIUM) || !BUILT)("the web page in headless Chromium", () => {
  let server: { url: string; child: ChildProcess };
  let browser: Browser;
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
    server = await startServer(db);
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
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
  });

  it("searches from the box, fills the URL and shows results with their why", async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole("searchbox").fill("fast sad techno");
    await page.keyboard.press("Enter");
    await page.locator("li.track").first().waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("fast sad techno");
    expect(await page.locator("li.track").count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator("li.track .why").first().textContent()).toContain("why:");
    expect(await page.locator(".chip").count()).toBeGreaterThanOrEqual(3);
  });

  it("re-runs the search without a chip that is removed", async () => {
    const chips = page.locator(".chip");
    const before = await chips.count();
    const label = (await chips.first().textContent())?.replace("×", "").trim() ?? "";
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

  it("filters with a slider moved by keyboard", async () => {
    const slider = page.locator("#energy_min");
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
    await slider.dispatchEvent("change");
    await expect.poll(() => new URL(page.url()).searchParams.get("energy_min")).toBe("0.5");
    const lowest = async () => {
      const energies = await page.locator("li.track .bars > div:first-child").allTextContents();
      return energies.length === 0
        ? -1
        : Math.min(...energies.map((t) => Number(/energy ([\d.]+)/.exec(t)?.[1])));
    };
    // Once the new results are in, every one of them has energy >= 0.5.
    await expect.poll(lowest).toBeGreaterThanOrEqual(0.5);
  });

  it("opens a track on Spotify", async () => {
    const link = page.getByRole("link", { name: "Open in Spotify" }).first();
    const id = await page.locator("li.track").first().getAttribute("data-id");
    expect(await link.getAttribute("href")).toBe(`https://open.spotify.com/track/${id}`);
    // No network here: Spotify is answered by a stub, so the test sees where the link leads.
    await page
      .context()
      .route("https://open.spotify.com/**", (route) =>
        route.fulfill({ body: "<title>Spotify</title>", contentType: "text/html" }),
      );
    const [popup] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toContain(`open.spotify.com/track/${id}`);
    await popup.close();
  });

  it("shows an error state and an empty state", async () => {
    await page.goto(`${server.url}/?q=${"x".repeat(501)}`);
    await expect.poll(() => page.locator("#status").textContent()).toContain("Something went wrong");
    await page.goto(`${server.url}/?q=techno&tempo_min=299`);
    await expect.poll(() => page.locator("#status").textContent()).toContain("No tracks match");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(`${server.url}/?q=sad%20piano&limit=5`);
    await page.locator("li.track").first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "web-search.png"), fullPage: true });
    expect(existsSync(join(ARTIFACTS, "web-search.png"))).toBe(true);
  });
});

if (!existsSync(CHROMIUM) || !BUILT) {
  describe("the web page in headless Chromium", () => {
    it.skip(`skipped: ${!existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install chromium)` : "dist/ is missing (npm run build)"}`, () => {});
  });
}
