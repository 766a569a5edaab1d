/**
 * A real Chromium for the dashboard's browser tests: Debian's `chromium` (installed by `make test` when missing,
 * scripts/ensure-chromium.sh) driven by playwright-core, which never downloads a browser of its own.
 *
 * The flags matter on a closed network: without the background-networking ones Chromium keeps trying to reach
 * Google's services and its connections are refused. Every launch gets a fresh profile directory.
 *
 * No Chromium is a failure, never a skip: the message says how to install it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";

/** Override with LIVEMESSAGE_CHROMIUM (e.g. a Chromium or Chrome binary on a developer's machine). */
export const CHROMIUM_PATH = process.env.LIVEMESSAGE_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where screenshots and other artifacts go (git-ignored). */
export const ARTIFACTS = path.join(__dirname, "..", "..", "test-results", "ui");

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab whose console errors and uncaught exceptions are collected in `errors`. */
  page(viewport?: { width: number; height: number }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  readonly page: Page;
  /** Console errors and page errors seen so far (a test fails when this is not empty). */
  readonly errors: string[];
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}, and the dashboard's browser tests need a real browser. ` +
        "Install it: `apt-get update && apt-get install -y chromium` (make test runs scripts/ensure-chromium.sh, which " +
        "does this when it can), or point LIVEMESSAGE_CHROMIUM at a Chromium binary.",
    );
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 800 },
      timeout: 60_000,
    });
  } catch (e) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`Chromium at ${CHROMIUM_PATH} did not start: ${(e as Error).message}`);
  }
  // The first tab of a persistent context is not watched: close it so every page in use is.
  for (const p of context.pages()) await p.close();
  return {
    context,
    async page(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      const errors: string[] = [];
      page.on("console", (m: ConsoleMessage) => {
        if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url})`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      return { page, errors };
    },
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
