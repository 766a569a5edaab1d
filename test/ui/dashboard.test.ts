/**
 * The emulator's dashboard in a real browser (Chromium through playwright-core): what the API makes shows up on the
 * page within 2 s without a reload; the page's controls (join/leave, faults, reset, compact, reveal) act through
 * the admin endpoints; the request log filters by action; it asks for the admin token when there is one; another
 * site can neither act through it nor frame it; it is usable at 1280×800 and 390×844, passes an axe audit, and
 * logs no console error. Screenshots go to test-results/ui/.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { LiveApiError } from "../../provider/client/errors";
import { LiveClient } from "../../provider/client/live-client";
import { CreateLiveMessageApp, CreateLiveMessageGroup, DeleteLiveMessageGroup, DescribeLiveMessageApp } from "../../provider/operations";
import { ResourceError, ResourceErrorCodes } from "../../provider/resources/errors";
import { resetQuotaState } from "../../provider/resources/quota/quota";
import { seedMessageHandler } from "../../provider/resources/seed-message/handler";
import { startHandlerEnv, type HandlerEnv } from "../../provider/resources/test-support/emulator";
import { ARTIFACTS, launchChromium, type Browser, type WatchedPage } from "./browser";

jest.setTimeout(90_000);

// Browser globals, for the callbacks that run in the page (page.evaluate): this project's lib has no DOM.
declare const document: any;
declare const window: any;
interface AxeResult { violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }

/** "The page shows them within 2 s". */
const LIVE_MS = 2000;
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

let browser: Browser;
let env: HandlerEnv;
let client: LiveClient;
let dataDir: string;
const pages: WatchedPage[] = [];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-ui-"));
  env = await startHandlerEnv({ dataDir });
  // No retries: an armed fault must show as the very next call's failure.
  client = new LiveClient({ endpoint: env.emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false, retry: false });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await env?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => resetQuotaState());

/** Every page a test opened must have logged no console error; it is closed before the next test. */
afterEach(async () => {
  const opened = pages.splice(0);
  for (const p of opened) await p.page.close();
  expect(opened.flatMap((p) => p.errors)).toEqual([]);
});

async function open(url: string, viewport = WIDE): Promise<Page> {
  const watched = await browser.page(viewport);
  pages.push(watched);
  await watched.page.goto(url);
  return watched.page;
}

const dashboard = (emu: Emulator, hash = ""): string => `${emu.url}/_emulator/ui/${hash}`;

/** Runs `action` (an API call) and waits for `appear` to be visible, failing after LIVE_MS. */
async function showsWithin(appear: () => ReturnType<Page["locator"]>, action: () => Promise<unknown>): Promise<number> {
  await action();
  const started = Date.now();
  await appear().first().waitFor({ state: "visible", timeout: LIVE_MS });
  return Date.now() - started;
}

async function newApp(name: string): Promise<{ appId: string; appKey: string; appSign: string }> {
  const r = await CreateLiveMessageApp.invoke(client, { AppName: name });
  return { appId: r.AppId!, appKey: r.AppKey!, appSign: r.AppSign! };
}

function appButton(page: Page, appId: string) {
  return page.getByRole("button", { name: new RegExp(appId) });
}

function groupButton(page: Page, groupId: string) {
  return page.getByRole("button", { name: `Group ${groupId}`, exact: true });
}

async function live(page: Page): Promise<void> {
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 5000 });
}

describe("the dashboard shows what the API makes, live", () => {
  it("an app and a group created through the API appear within 2 s, without a reload", async () => {
    const page = await open(dashboard(env.emu));
    await live(page);
    let appId = "";
    const appMs = await showsWithin(() => page.getByRole("button", { name: /live-app/ }), async () => {
      appId = (await newApp("live-app")).appId;
    });
    await appButton(page, appId).click();
    await page.getByRole("heading", { name: "App live-app" }).waitFor();
    const groupMs = await showsWithin(() => groupButton(page, "hall1"), () =>
      CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "hall1", GroupName: "Hall one", Administrators: ["host1"] }),
    );
    const row = page.getByRole("row").filter({ has: groupButton(page, "hall1") });
    await row.getByText("Hall one").waitFor();
    await row.getByText("host1").waitFor();
    expect(await page.evaluate(() => (performance as any).getEntriesByType("navigation").length)).toBe(1); // never reloaded
    console.log(JSON.stringify({ appearedWithinMs: { app: appMs, group: groupMs } }));
  });

  it("join from the page makes the group active: a SeedMessage with whenInactive \"fail\" then succeeds, and shows", async () => {
    const { appId } = await newApp("seeds");
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "stage1" });
    const seed = async (name: string) => {
      const checked = await seedMessageHandler.check({}, { appId, groupId: "stage1", senderId: "system", body: `{"hello":"${name}"}`, msgType: 3, whenInactive: "fail", __resourceName: name });
      expect(checked.failures).toEqual([]);
      return seedMessageHandler.create(checked.inputs);
    };
    // Nobody has joined: the seed fails as it should.
    const refused = await seed("first").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ResourceError);
    expect((refused as ResourceError).code).toBe(ResourceErrorCodes.groupInactive);

    const page = await open(dashboard(env.emu, `#app=${appId}&group=stage1`));
    const group = page.getByRole("region", { name: "Group stage1", exact: true });
    await group.getByText("Nobody has joined").waitFor();
    await group.getByLabel("User ID").fill("viewer7");
    await group.getByLabel("User info").fill('{"nick":"seven"}');
    await group.getByRole("button", { name: "Join", exact: true }).click();
    await group.getByRole("list", { name: "Online members" }).getByText("viewer7").waitFor({ timeout: LIVE_MS });
    await page.getByRole("row").filter({ has: groupButton(page, "stage1") }).getByRole("cell", { name: "1", exact: true }).waitFor({ timeout: LIVE_MS });

    const created = await seed("second");
    expect(created.outs.delivered).toBe(true);
    const msgTid = String(created.outs.msgTid);
    const message = page.getByRole("row").filter({ hasText: msgTid });
    await message.waitFor({ timeout: LIVE_MS });
    await message.getByText('{"hello":"second"}').waitFor();
    await message.getByText("stored").waitFor();
    await group.getByText("type 3: 1").first().waitFor();

    // And leave again.
    await group.getByRole("button", { name: "Leave: remove viewer7 from the group" }).click();
    await group.getByText("Nobody has joined").waitFor({ timeout: LIVE_MS });
    expect((await env.state()).apps).toEqual(expect.arrayContaining([expect.objectContaining({ appId, groups: [expect.objectContaining({ members: [] })] })]));
  });

  it("a fault armed from the page makes the next API call fail as configured", async () => {
    const { appId } = await newApp("faulty");
    const page = await open(dashboard(env.emu, "#tab=faults"));
    const form = page.getByRole("region", { name: "Arm a fault", exact: true });
    await form.getByLabel("Action").selectOption("CreateLiveMessageGroup");
    await form.getByLabel("Mode").selectOption("error");
    await form.getByLabel("Error code").fill("ServiceUnavailable");
    await form.getByLabel("HTTP status").fill("503");
    await form.getByLabel("Times").fill("1");
    await form.getByRole("button", { name: "Arm fault" }).click();
    const rules = page.getByRole("region", { name: "Armed rules", exact: true });
    const rule = rules.getByRole("row").filter({ hasText: "CreateLiveMessageGroup" });
    await rule.waitFor({ timeout: LIVE_MS });
    await page.getByRole("tab", { name: /Faults/ }).getByText("1").waitFor();

    const failed = await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "nope1" }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(LiveApiError);
    expect([(failed as LiveApiError).code, (failed as LiveApiError).httpStatus]).toEqual(["ServiceUnavailable", 503]);
    // Armed for one call: the next one goes through, and the page shows the rule spent.
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "yes1" });
    await rule.getByRole("cell", { name: "0", exact: true }).waitFor({ timeout: LIVE_MS });

    // Only the configured action is hit; a latency rule; then clear all.
    await form.getByLabel("Action").selectOption("DescribeLiveMessageApp");
    await form.getByLabel("Mode").selectOption("latency");
    await form.getByLabel("Latency (ms)").fill("400");
    await form.getByLabel("Times").fill("");
    await form.getByRole("button", { name: "Arm fault" }).click();
    await rules.getByRole("row").filter({ hasText: "DescribeLiveMessageApp" }).waitFor({ timeout: LIVE_MS });
    const t0 = Date.now();
    await DescribeLiveMessageApp.invoke(client, { AppId: appId });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    await rules.getByRole("button", { name: "Clear all rules" }).click();
    await rules.getByText("No fault rules").waitFor({ timeout: LIVE_MS });
    const t1 = Date.now();
    await DescribeLiveMessageApp.invoke(client, { AppId: appId });
    expect(Date.now() - t1).toBeLessThan(400);
  });

  it("the request log lists the last calls with status, code, latency and throttling, filterable by action", async () => {
    const { appId } = await newApp("logged");
    await env.faults([{ action: "DescribeLiveMessageApp", mode: "error", code: "Forbidden.Demo", status: 403, count: 1 }]);
    await DescribeLiveMessageApp.invoke(client, { AppId: appId }).catch(() => undefined);
    await env.faults([]);
    const page = await open(dashboard(env.emu, "#tab=requests"));
    const log = page.getByRole("region", { name: "Request log", exact: true });
    await log.getByRole("cell", { name: "Forbidden.Demo" }).waitFor({ timeout: LIVE_MS });
    await log.getByLabel("Action").selectOption("CreateLiveMessageApp");
    await log.getByRole("row").filter({ hasText: "DescribeLiveMessageApp" }).first().waitFor({ state: "detached", timeout: LIVE_MS });
    const actions = await log.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(["CreateLiveMessageApp"]));
    // Live: a new call of the filtered action shows up.
    const before = actions.length;
    await newApp("logged2");
    await page.waitForFunction((n) => document.querySelectorAll("#requests-table tbody tr").length > n, before, { timeout: LIVE_MS });
    const headers = await log.getByRole("columnheader").allTextContents();
    expect(headers).toEqual(expect.arrayContaining(["Action", "Account", "Status", "Error code", "Latency", "Throttled"]));
  });

  it("AppKey and AppSign stay hidden until revealed", async () => {
    const { appId, appKey, appSign } = await newApp("secret-app");
    const page = await open(dashboard(env.emu, `#app=${appId}`));
    await page.getByRole("heading", { name: "App secret-app" }).waitFor();
    expect(await page.content()).not.toContain(appKey);
    await page.getByRole("button", { name: "Reveal AppKey and AppSign" }).click();
    const creds = page.getByRole("definition").filter({ hasText: appKey });
    await creds.waitFor();
    await page.getByText(appSign).waitFor();
    await page.getByRole("button", { name: "Hide" }).click();
    await page.getByRole("button", { name: "Reveal AppKey and AppSign" }).waitFor();
    expect(await page.content()).not.toContain(appKey);
  });

  it("keyboard: tabs move with the arrow keys, apps and groups open with Enter, the focus survives live updates", async () => {
    const { appId } = await newApp("keys");
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "kb1" });
    const page = await open(dashboard(env.emu));
    await live(page);
    await page.getByRole("tab", { name: "Resources" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("tab-faults");
    await page.getByRole("tabpanel", { name: /Faults/ }).waitFor();
    await page.keyboard.press("Home");
    await page.getByRole("tabpanel", { name: "Resources" }).waitFor();
    await appButton(page, appId).focus();
    await page.keyboard.press("Enter");
    await groupButton(page, "kb1").waitFor();
    await groupButton(page, "kb1").focus();
    await page.keyboard.press("Enter");
    await page.getByRole("region", { name: "Group kb1", exact: true }).waitFor();
    // A change arrives while the group button has the focus: the row is redrawn, the focus stays.
    await env.join(appId, "kb1", "kbuser");
    await page.getByRole("list", { name: "Online members" }).getByText("kbuser").waitFor({ timeout: LIVE_MS });
    expect(await page.evaluate(() => document.activeElement?.dataset.fk)).toBe("group:kb1");
  });

  it("compact and reset from the page", async () => {
    const page = await open(dashboard(env.emu, "#tab=emulator"));
    await live(page);
    const before = (await (await fetch(`${env.emu.url}/_emulator/health`)).json()) as { log: { compactions: number } };
    await page.getByRole("button", { name: "Compact" }).click();
    await page.getByRole("status").filter({ hasText: "Snapshot written" }).waitFor({ timeout: 10_000 });
    const after = (await (await fetch(`${env.emu.url}/_emulator/health`)).json()) as { log: { compactions: number } };
    expect(after.log.compactions).toBeGreaterThan(before.log.compactions);

    await page.getByRole("tab", { name: "Resources" }).click();
    await page.getByRole("button", { name: "Reset…" }).click();
    const dialog = page.getByRole("dialog", { name: "Reset the emulator?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(((await env.state()).apps as unknown[]).length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Reset…" }).click();
    await dialog.getByRole("button", { name: "Reset everything" }).click();
    await page.getByText("No apps yet").first().waitFor({ timeout: LIVE_MS });
    expect((await env.state()).apps).toEqual([]);
  });
});

describe("layout, accessibility, screenshots", () => {
  /** A small, complete scene: apps, groups (one deleted), members, messages of several types. */
  async function scene(): Promise<string> {
    const { appId } = await newApp("demo-shop");
    await newApp("load-test");
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "lobby", GroupName: "Lobby", Administrators: ["alice", "bob"], CreatorId: "alice" });
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "stage", GroupName: "Main stage" });
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "archive", GroupName: "Old archive" });
    for (const u of ["viewer1", "viewer2", "viewer3"]) await env.join(appId, "lobby", u);
    for (const [i, body] of ['{"text":"Welcome to the lobby"}', '{"text":"Show starts at 8"}', '{"gift":"rocket","count":3}'].entries()) {
      const checked = await seedMessageHandler.check({}, { appId, groupId: "lobby", senderId: i === 2 ? "viewer2" : "system", body, msgType: i === 2 ? 2 : 1, __resourceName: `m${i}` });
      await seedMessageHandler.create(checked.inputs);
    }
    await DeleteLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "archive" });
    return appId;
  }

  it("at 1280×800 and 390×844: nothing overflows, an axe audit finds no violation; screenshots saved", async () => {
    const appId = await scene();
    const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    for (const viewport of [WIDE, NARROW]) {
      const page = await open(dashboard(env.emu, `#app=${appId}&group=lobby`), viewport);
      await page.getByRole("region", { name: "Group lobby", exact: true }).getByText("viewer3").waitFor();
      await page.getByRole("row").filter({ hasText: "rocket" }).waitFor();
      // Usable on a narrow window: the page itself never scrolls sideways (wide tables scroll in their own region).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ viewport, overflow }).toEqual({ viewport, overflow: 0 });
      const name = `dashboard-${viewport.width}x${viewport.height}.png`;
      await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: viewport === NARROW });
      if (viewport === WIDE && process.env.UPDATE_DASHBOARD_SCREENSHOT === "1") {
        await page.screenshot({ path: path.join(__dirname, "..", "..", "docs", "dashboard.png"), fullPage: true });
      }
      // axe-core: labels, roles, contrast, landmarks. Evaluated through the DevTools protocol (the page's CSP
      // admits no injected script tag).
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const r = (await window.axe.run(document, { resultTypes: ["violations"] })) as AxeResult;
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target) }));
      });
      expect({ viewport, violations }).toEqual({ viewport, violations: [] });
      for (const tab of ["Faults", "Request log", "Emulator"]) {
        await page.getByRole("tab", { name: new RegExp(tab) }).click();
        await page.getByRole("tabpanel").first().waitFor();
        const more = await page.evaluate(async () => {
          return ((await window.axe.run(document, { resultTypes: ["violations"] })) as AxeResult).violations.map((v) => v.id);
        });
        expect({ viewport, tab, more }).toEqual({ viewport, tab, more: [] });
        const overflowHere = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect({ viewport, tab, overflowHere }).toEqual({ viewport, tab, overflowHere: 0 });
      }
    }
    expect(fs.existsSync(path.join(ARTIFACTS, "dashboard-1280x800.png"))).toBe(true);
    expect(fs.existsSync(path.join(ARTIFACTS, "dashboard-390x844.png"))).toBe(true);
  });
});

describe("with an admin token", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ throttle: false, adminToken: "dash-token-42" });
  });
  afterAll(() => emu?.stop());

  it("asks for the token, refuses a wrong one, then works with the right one (every call carries it)", async () => {
    const page = await open(dashboard(emu));
    const panel = page.getByRole("region", { name: "This emulator needs its admin token", exact: true });
    await panel.waitFor();
    await panel.getByLabel("Admin token").fill("wrong-token");
    await panel.getByRole("button", { name: "Unlock" }).click();
    await panel.getByRole("alert").filter({ hasText: "not this emulator's admin token" }).waitFor();
    expect(await page.getByRole("button", { name: "Reset…" }).isDisabled()).toBe(true);

    const adminCalls: Array<{ url: string; authorization: string | undefined }> = [];
    page.on("request", (r) => {
      if (r.url().includes("/_emulator/") && !r.url().includes("/_emulator/ui/")) adminCalls.push({ url: r.url(), authorization: r.headers().authorization });
    });
    await panel.getByLabel("Admin token").fill("dash-token-42");
    await panel.getByRole("button", { name: "Unlock" }).click();
    await panel.waitFor({ state: "hidden" });
    await live(page);
    const apiClient = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false, retry: false });
    try {
      const { AppId } = await CreateLiveMessageApp.invoke(apiClient, { AppName: "guarded" });
      await page.getByRole("button", { name: new RegExp(AppId) }).waitFor({ timeout: LIVE_MS });
      await page.getByRole("button", { name: new RegExp(AppId) }).click();
      await page.getByRole("button", { name: "Reveal AppKey and AppSign" }).click();
      await page.getByRole("term").filter({ hasText: "AppKey" }).waitFor();
    } finally {
      await apiClient.close();
    }
    expect(adminCalls.length).toBeGreaterThan(2);
    for (const c of adminCalls) expect(c).toEqual({ url: c.url, authorization: "Bearer dash-token-42" });
    // A reload keeps the token for this tab only.
    await page.reload();
    await live(page);
    expect(await panel.isHidden()).toBe(true);
  });
});

describe("another origin", () => {
  let foreign: http.Server;
  let foreignUrl: string;
  beforeAll(async () => {
    // A page of another origin (another port) that tries to use the emulator's admin endpoints and to frame the dashboard.
    foreign = http.createServer((req, res) => {
      const emu = new URL(req.url ?? "/", "http://x").searchParams.get("emu") ?? "";
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>foreign</title>
<iframe id="f" src="${emu}/_emulator/ui/"></iframe>
<script>
window.results = {};
const emu = ${JSON.stringify(emu)};
(async () => {
  try { const r = await fetch(emu + "/_emulator/reset", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }); results.json = r.status; } catch (e) { results.json = "blocked"; }
  try { await fetch(emu + "/_emulator/reset", { method: "POST", mode: "no-cors" }); results.simple = "sent"; } catch (e) { results.simple = "blocked"; }
  try { await fetch(emu + "/_emulator/faults", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: '{"rules":[{"action":"*","mode":"error"}]}' }); results.faults = "sent"; } catch (e) { results.faults = "blocked"; }
  try { const r = await fetch(emu + "/_emulator/overview"); results.read = r.status; } catch (e) { results.read = "blocked"; }
  results.done = true;
})();
</script>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    const closed = new Promise<void>((resolve) => foreign.close(() => resolve()));
    foreign.closeAllConnections(); // the browser keeps its connections alive
    await closed;
  });

  it("cannot act through the admin endpoints, read them, or frame the dashboard", async () => {
    const { appId } = await newApp("survivor");
    const watched = await browser.page(WIDE); // console errors expected here (blocked requests): not collected
    try {
      const blockedFrames: string[] = [];
      watched.page.on("console", (m) => {
        if (/frame-ancestors|X-Frame-Options|refused to (display|frame)/i.test(m.text())) blockedFrames.push(m.text());
      });
      await watched.page.goto(`${foreignUrl}/?emu=${encodeURIComponent(env.emu.url)}`);
      await watched.page.waitForFunction(() => window.results.done === true, undefined, { timeout: 10_000 });
      const results = await watched.page.evaluate(() => window.results as Record<string, unknown>);
      // The JSON write needs a preflight, which the emulator refuses; the "simple" ones reach it and are refused.
      expect(results).toMatchObject({ json: "blocked", read: "blocked" });
      // The framed dashboard never loads.
      await watched.page.waitForTimeout(500);
      const frame = watched.page.frames().find((f) => f !== watched.page.mainFrame());
      const framedText = await frame?.evaluate(() => document.body?.innerText ?? "").catch(() => "");
      expect(framedText ?? "").not.toContain("LiveMessage emulator");
      expect(blockedFrames.length).toBeGreaterThan(0);
    } finally {
      await watched.page.close();
    }
    // Nothing was reset and no fault was armed.
    const state = (await env.state()) as { apps: Array<{ appId: string }> };
    expect(state.apps.map((a) => a.appId)).toContain(appId);
    expect(((await (await fetch(`${env.emu.url}/_emulator/faults`)).json()) as { rules: unknown[] }).rules).toEqual([]);
  });
});
