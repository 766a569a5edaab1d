// @ts-check
/**
 * The LiveMessage emulator dashboard: one ES module, no framework, no build step.
 *
 * Data comes only from the emulator's admin endpoints (`/_emulator/…`), with the same protections as any other
 * caller: the admin token (asked for when the emulator has one, kept in this tab's session storage, sent as a
 * Bearer header) and the same-origin rule (the page is served by the emulator itself, so its calls are same-origin;
 * another site's page is refused).
 *
 * Live updates: `GET /_emulator/events` is a server-sent-events stream of change counters (state revision,
 * requests recorded, fault-rule changes). It is read with fetch() rather than EventSource because EventSource cannot
 * send the Authorization header (a token in the URL would end up in logs and history). On each event the page
 * fetches only the views whose counter moved, one refresh at a time; a burst of events becomes one refresh.
 *
 * Rendering replaces a section's content only when its data changed, and puts the focus back on the control that
 * had it (controls carry a `data-fk` focus key), so keyboard users keep their place while the page updates.
 */

const API = new URL("../", location.href).pathname; // "/_emulator/"
const TOKEN_KEY = "livemessage-emulator-admin-token";
const USER_ID = /^[A-Za-z0-9]{1,64}$/;

/**
 * @typedef {{ revision: number, requests: number, faults: number }} Changes
 * @typedef {{ accountId: string, appId: string, appName: string, dataCenter: string, disabled: boolean,
 *   auditType: number, auditUrl: string, eventCallbackUrl: string, msgLifeCycle: number, createTime: number,
 *   modifyTime: number, liveGroups: number, deletedGroups: number, onlineUsers: number }} App
 * @typedef {{ accountId: string, accessKeyIds: string[], apps: App[] }} Account
 * @typedef {{ changes: Changes, now: number, accounts: Account[], actions: string[],
 *   emulator: { seed: number, durable: boolean, dataDir: string | null, throttle: boolean, verifySignatures: boolean,
 *   adminToken: boolean, requestLogSize: number } }} Overview
 * @typedef {{ userId: string, userInfo: string, joinTime: number }} Member
 * @typedef {{ groupId: string, groupName: string, groupInfo: string, creatorId: string, adminList: string[],
 *   createTime: number, deleted: boolean, deleteTime: number | null, deletor: string, recoverDeadline: number | null,
 *   memberCount: number, members: Member[], superLarge: boolean, totalTimes: number,
 *   msgAmount: Record<string, number>, totalMessages: number, storedMessages: number, cachedMessages: number,
 *   bannedAll: boolean, bannedUsers: string[], exceptUsers: string[] }} Group
 * @typedef {{ appId: string, total: number, groups: Group[] }} GroupList
 * @typedef {{ msgTid: string, msgType: number, senderId: string, senderInfo: string, bodyPreview: string,
 *   bodyChars: number, weight: number, seq: number, time: number, stored: boolean, cached: boolean }} Message
 * @typedef {{ appId: string, groupId: string, stored: number, messages: Message[], cachedOnly: string[] }} MessageList
 * @typedef {{ action: string, mode: string, probability: number, code: string, status: number, latencyMs: number,
 *   count?: number, remaining?: number, fired: number }} FaultRule
 * @typedef {{ time: string, requestId: string, action: string, account: string, accessKeyId?: string,
 *   status: number, code?: string, latencyMs: number, throttled: boolean, signature: string }} RequestEntry
 * @typedef {{ adminTokenRequired: boolean, authorized: boolean, secretsRevealable: boolean }} Session
 */

const model = {
  token: sessionStorage.getItem(TOKEN_KEY) ?? "",
  /** @type {Session | null} */ session: null,
  /** @type {Overview | null} */ overview: null,
  /** performance.now() when the overview arrived (deadlines count from the emulator's clock, `overview.now`). */
  overviewAt: 0,
  /** @type {GroupList | null} */ groups: null,
  /** @type {MessageList | null} */ messages: null,
  /** @type {FaultRule[]} */ faults: [],
  /** @type {RequestEntry[]} */ requests: [],
  /** @type {Record<string, unknown> | null} */ health: null,
  /** @type {Map<string, { appKey: string, appSign: string }>} */ revealed: new Map(),
  /** @type {Changes} */ seen: { revision: -1, requests: -1, faults: -1 },
  /** @type {Changes} */ latest: { revision: 0, requests: 0, faults: 0 },
  tab: "resources",
  /** @type {string | null} */ appId: null,
  /** @type {string | null} */ groupId: null,
  started: false,
};

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------------------------

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function byId(id, type) {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`dashboard: #${id} is missing`);
  return el;
}

/**
 * Creates an element. Text always goes in as text (never HTML): names, bodies and IDs come from API callers.
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string | number | null | undefined | false | (Node | string)[])} children
 * @returns {HTMLElement}
 */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = String(v);
    else if (k === "text") el.textContent = String(v);
    else if (k === "fk") el.dataset.fk = String(v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** @type {Map<Element, string>} */
const rendered = new Map();

/**
 * Replaces the content of `container` when `data` differs from what it shows, keeping the focus on the control
 * with the same focus key.
 * @param {Element} container
 * @param {unknown} data
 * @param {() => (Node | string)[]} build
 */
function render(container, data, build) {
  const signature = JSON.stringify(data) ?? "";
  if (rendered.get(container) === signature) return;
  rendered.set(container, signature);
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset.fk : undefined;
  container.replaceChildren(...build());
  if (key !== undefined) {
    const next = container.querySelector(`[data-fk="${CSS.escape(key)}"]`);
    if (next instanceof HTMLElement) next.focus();
  }
}

/** @param {number} ms */
function fmtTime(ms) {
  const d = new Date(ms);
  /** @param {number} n */
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** @param {number} ms */
function fmtDuration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours} h ${m % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The emulator's clock now (its clock may be injected: deadlines are judged by it, not by this browser's). */
function emulatorNow() {
  return (model.overview?.now ?? Date.now()) + (performance.now() - model.overviewAt);
}

/**
 * @param {string} text
 * @param {string} [kind]
 */
function tag(text, kind) {
  return h("span", { class: kind ? `tag ${kind}` : "tag", text });
}

/**
 * Term/value pairs of a `<dl>`, each pair in a `<div>` (a grid cell); a third element `true` spans the whole row.
 * @param {([string, Node | string] | [string, Node | string, boolean])[]} rows
 */
function facts(rows) {
  return rows.map(([term, value, wide]) => h("div", { class: wide ? "wide" : undefined }, h("dt", { text: term }), h("dd", {}, value)));
}

/**
 * @param {string} text
 * @param {"ok" | "error"} [kind]
 */
function notify(text, kind = "ok") {
  const box = byId("notice", HTMLDivElement);
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.replaceChildren(h("p", { class: kind, text }));
  const shown = box.firstElementChild;
  setTimeout(() => {
    if (box.firstElementChild === shown) box.replaceChildren();
  }, kind === "error" ? 10000 : 4000);
}

// ---------------------------------------------------------------------------------------------------------------
// Admin API
// ---------------------------------------------------------------------------------------------------------------

class AdminError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** @returns {Record<string, string>} */
function authHeaders() {
  return model.token ? { authorization: `Bearer ${model.token}` } : {};
}

/**
 * @param {"GET" | "POST" | "DELETE"} method
 * @param {string} path below /_emulator/
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json", ...authHeaders() };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(API + path, { method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  /** @type {any} */
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { Message: text };
  }
  if (!res.ok) {
    const err = new AdminError(res.status, String(json.Code ?? res.status), String(json.Message ?? res.statusText));
    if (res.status === 401) askForToken("The admin token was not accepted (was the emulator restarted with another one?).");
    throw err;
  }
  return json;
}

/**
 * Runs an action from a control: the control is disabled meanwhile, the outcome is announced.
 * @param {HTMLButtonElement | null} button
 * @param {() => Promise<string>} run resolves to the success message
 */
async function act(button, run) {
  if (button) button.disabled = true;
  try {
    notify(await run());
  } catch (e) {
    notify(e instanceof AdminError ? `${e.code}: ${e.message}` : `Failed: ${e instanceof Error ? e.message : String(e)}`, "error");
  } finally {
    if (button) button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Token
// ---------------------------------------------------------------------------------------------------------------

/** @param {string} [why] */
function askForToken(why) {
  byId("token-panel", HTMLElement).hidden = false;
  byId("token-error", HTMLParagraphElement).textContent = why ?? "";
  setConnection("error", "Admin token needed");
  byId("token-input", HTMLInputElement).focus();
}

async function fetchSession() {
  const res = await fetch(`${API}session`, { headers: authHeaders(), cache: "no-store" });
  if (!res.ok) throw new Error(`GET ${API}session answered ${res.status}`);
  /** @type {Session} */
  const session = await res.json();
  model.session = session;
  return session;
}

function wireToken() {
  byId("token-form", HTMLFormElement).addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = byId("token-input", HTMLInputElement);
    const candidate = input.value.trim();
    if (candidate === "") {
      byId("token-error", HTMLParagraphElement).textContent = "Enter the token the emulator was started with.";
      return;
    }
    model.token = candidate;
    const session = await fetchSession();
    if (!session.authorized) {
      model.token = "";
      byId("token-error", HTMLParagraphElement).textContent = "That token is not this emulator's admin token.";
      input.select();
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, candidate);
    input.value = "";
    byId("token-panel", HTMLElement).hidden = true;
    byId("forget-token-button", HTMLButtonElement).hidden = false;
    start();
  });
  byId("forget-token-button", HTMLButtonElement).addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Live updates
// ---------------------------------------------------------------------------------------------------------------

/**
 * @param {"live" | "connecting" | "error"} state
 * @param {string} text
 */
function setConnection(state, text) {
  const el = byId("connection", HTMLParagraphElement);
  if (el.dataset.state === state && el.textContent === text) return;
  el.dataset.state = state;
  el.textContent = text;
}

/** Reads the change stream until the page goes away, reconnecting with a growing pause. */
async function watch() {
  let pause = 500;
  for (;;) {
    try {
      const res = await fetch(`${API}events`, { headers: { accept: "text/event-stream", ...authHeaders() }, cache: "no-store" });
      if (res.status === 401) {
        askForToken("The admin token was not accepted.");
        return;
      }
      if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
      setConnection("live", "Live");
      pause = 500;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          onEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // The emulator stopped or restarted: say so and try again.
    }
    setConnection("connecting", "Reconnecting…");
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 5000);
  }
}

/** @param {string} block one server-sent event */
function onEvent(block) {
  const data = block
    .split("\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => l.slice(5).trim())
    .join("\n");
  if (!data) return;
  try {
    model.latest = JSON.parse(data);
  } catch {
    return;
  }
  refreshSoon();
}

let refreshing = false;
let again = false;

function refreshSoon() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  void refresh().finally(() => {
    refreshing = false;
    if (again) {
      again = false;
      refreshSoon();
    }
  });
}

/** @param {{ all?: boolean }} [opts] */
async function refresh(opts = {}) {
  const latest = model.latest;
  const stateMoved = opts.all || latest.revision !== model.seen.revision;
  const requestsMoved = opts.all || latest.requests !== model.seen.requests;
  const faultsMoved = opts.all || latest.faults !== model.seen.faults;
  model.seen = latest;
  /** @type {Promise<void>[]} */
  const jobs = [];
  // The overview first: it says whether the selected app still exists (after a reset it does not).
  const overview = stateMoved || requestsMoved ? loadOverview() : Promise.resolve();
  if (stateMoved) jobs.push(overview.then(() => Promise.all([loadGroups(), loadMessages()])).then(() => undefined));
  else jobs.push(overview);
  if (faultsMoved) jobs.push(loadFaults());
  if (requestsMoved && model.tab === "requests") jobs.push(loadRequests());
  if (model.tab === "emulator") jobs.push(loadHealth());
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === "rejected");
  if (failed && failed.status === "rejected" && !(failed.reason instanceof AdminError && failed.reason.status === 401)) {
    notify(`Refresh failed: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}`, "error");
  }
  renderAll();
}

async function loadOverview() {
  /** @type {Overview} */
  const o = await api("GET", "overview");
  model.overview = o;
  model.overviewAt = performance.now();
  fillActionSelects(o.actions);
}

async function loadGroups() {
  const appId = model.appId;
  if (!appId || !appExists(appId)) {
    model.groups = null;
    return;
  }
  const filter = byId("groups-filter", HTMLInputElement).value.trim();
  const q = filter ? `?filter=${encodeURIComponent(filter)}` : "";
  try {
    model.groups = await api("GET", `apps/${encodeURIComponent(appId)}/groups${q}`);
  } catch (e) {
    if (e instanceof AdminError && e.status === 404) model.groups = null;
    else throw e;
  }
}

async function loadMessages() {
  const { appId, groupId } = model;
  if (!appId || !groupId || !appExists(appId)) {
    model.messages = null;
    return;
  }
  try {
    model.messages = await api("GET", `apps/${encodeURIComponent(appId)}/groups/${encodeURIComponent(groupId)}/messages?limit=100`);
  } catch (e) {
    if (e instanceof AdminError && e.status === 404) model.messages = null;
    else throw e;
  }
}

async function loadFaults() {
  model.faults = (await api("GET", "faults")).rules;
}

async function loadRequests() {
  const params = new URLSearchParams();
  const action = byId("requests-action", HTMLSelectElement).value;
  const throttled = byId("requests-throttled", HTMLSelectElement).value;
  if (action) params.set("action", action);
  if (throttled) params.set("throttled", throttled);
  params.set("limit", byId("requests-limit", HTMLSelectElement).value);
  model.requests = (await api("GET", `requests?${params}`)).requests;
}

async function loadHealth() {
  model.health = await api("GET", "health");
}

/** @param {string} appId */
function appExists(appId) {
  // Before the first overview, trust the URL; afterwards only apps that exist are asked for (no 404 noise).
  return !model.overview || model.overview.accounts.some((a) => a.apps.some((p) => p.appId === appId));
}

// ---------------------------------------------------------------------------------------------------------------
// Navigation: tabs and the selection (kept in the URL hash, so a reload or a shared link keeps the place)
// ---------------------------------------------------------------------------------------------------------------

const TABS = ["resources", "faults", "requests", "emulator"];

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const tab = p.get("tab");
  model.tab = tab && TABS.includes(tab) ? tab : "resources";
  model.appId = p.get("app");
  model.groupId = model.appId ? p.get("group") : null;
}

function writeHash() {
  const p = new URLSearchParams();
  if (model.tab !== "resources") p.set("tab", model.tab);
  if (model.appId) p.set("app", model.appId);
  if (model.appId && model.groupId) p.set("group", model.groupId);
  const next = p.toString();
  if (location.hash.slice(1) !== next) history.replaceState(null, "", next ? `#${next}` : location.pathname);
}

/**
 * @param {string} tab
 * @param {boolean} [focus]
 */
function selectTab(tab, focus = false) {
  model.tab = tab;
  for (const name of TABS) {
    const button = byId(`tab-${name}`, HTMLButtonElement);
    const on = name === tab;
    button.setAttribute("aria-selected", String(on));
    button.tabIndex = on ? 0 : -1;
    byId(`panel-${name}`, HTMLElement).hidden = !on;
    if (on && focus) button.focus();
  }
  writeHash();
  if (model.started) {
    if (tab === "requests") void loadRequests().then(renderAll, reportError);
    if (tab === "emulator") void loadHealth().then(renderAll, reportError);
  }
}

/** @param {unknown} e */
function reportError(e) {
  if (e instanceof AdminError && e.status === 401) return;
  notify(e instanceof Error ? e.message : String(e), "error");
}

function wireTabs() {
  for (const name of TABS) {
    const button = byId(`tab-${name}`, HTMLButtonElement);
    button.addEventListener("click", () => selectTab(name));
    button.addEventListener("keydown", (e) => {
      const i = TABS.indexOf(name);
      /** @type {Record<string, number>} */
      const moves = { ArrowRight: (i + 1) % TABS.length, ArrowLeft: (i - 1 + TABS.length) % TABS.length, Home: 0, End: TABS.length - 1 };
      const to = moves[e.key];
      if (to === undefined) return;
      e.preventDefault();
      selectTab(/** @type {string} */ (TABS[to]), true);
    });
  }
}

/**
 * @param {string | null} appId
 * @param {string | null} groupId
 */
function select(appId, groupId) {
  const appChanged = appId !== model.appId;
  model.appId = appId;
  model.groupId = groupId;
  if (appChanged) {
    model.groups = null;
    byId("groups-filter", HTMLInputElement).value = "";
  }
  model.messages = null;
  writeHash();
  renderAll();
  void Promise.all([appChanged ? loadGroups() : Promise.resolve(), loadMessages()]).then(renderAll, reportError);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------------------

function renderAll() {
  renderAccounts();
  renderApp();
  renderGroups();
  renderGroup();
  renderFaults();
  renderRequests();
  renderEmulator();
}

/** @returns {App | undefined} */
function selectedApp() {
  return model.overview?.accounts.flatMap((a) => a.apps).find((a) => a.appId === model.appId);
}

/** @returns {Group | undefined} */
function selectedGroup() {
  return model.groups?.groups.find((g) => g.groupId === model.groupId);
}

function renderAccounts() {
  const o = model.overview;
  if (!o) return;
  render(byId("accounts", HTMLDivElement), { accounts: o.accounts, selected: model.appId }, () =>
    o.accounts.map((account, i) =>
      h(
        "section",
        { class: "account", "aria-label": `Account ${account.accountId}` },
        h("h3", {}, `Account ${account.accountId}`, i === 0 ? " " : "", i === 0 ? tag("default") : ""),
        account.accessKeyIds.length > 0 ? h("p", { class: "muted small", text: `Keys: ${account.accessKeyIds.join(", ")}` }) : "",
        account.apps.length === 0
          ? h("p", { class: "muted small", text: "No apps yet (CreateLiveMessageApp, or a livemessage.App in a stack)." })
          : h(
              "ul",
              { "aria-label": `Apps of account ${account.accountId}` },
              account.apps.map((app) =>
                h(
                  "li",
                  {},
                  h(
                    "button",
                    {
                      type: "button",
                      class: "app-button",
                      fk: `app:${app.appId}`,
                      "aria-current": app.appId === model.appId ? "true" : false,
                      onclick: () => select(app.appId, null),
                    },
                    h("span", {}, app.appName || "(no name)", app.disabled ? " " : "", app.disabled ? tag("disabled", "bad") : ""),
                    h("span", { class: "sub mono", text: `${app.appId} · ${app.dataCenter}` }),
                    h("span", { class: "sub", text: `${app.liveGroups} groups · ${app.onlineUsers} online` }),
                  ),
                ),
              ),
            ),
      ),
    ),
  );
}

/** @param {number} type */
function auditTypeName(type) {
  return type === 0 ? "0 (none)" : type === 1 ? "1 (callback)" : String(type);
}

function renderApp() {
  const app = selectedApp();
  byId("app-section", HTMLElement).hidden = !app;
  byId("groups-section", HTMLElement).hidden = !app;
  byId("empty-selection", HTMLElement).hidden = !!app;
  if (!model.overview) return;
  if (!app) {
    const empty = byId("empty-selection", HTMLElement);
    render(empty, { missing: model.appId }, () => [
      h("p", { text: model.appId ? `There is no app ${model.appId} (any more).` : "Select an app to see its groups." }),
    ]);
    return;
  }
  byId("app-title", HTMLHeadingElement).textContent = `App ${app.appName || app.appId}`;
  render(byId("app-details", HTMLElement), app, () =>
    facts([
      ["App ID", h("code", { text: app.appId })],
      ["Name", app.appName || "(none)"],
      ["Data center", app.dataCenter],
      ["Status", app.disabled ? tag("disabled", "bad") : tag("enabled", "ok")],
      ["Audit type", auditTypeName(app.auditType)],
      ["Audit URL", app.auditUrl || "(none)"],
      ["Event callback URL", app.eventCallbackUrl || "(none)"],
      ["Message life cycle", String(app.msgLifeCycle)],
      ["Groups", `${app.liveGroups} live, ${app.deletedGroups} deleted`],
      ["Online users", String(app.onlineUsers)],
      ["Created", fmtTime(app.createTime)],
      ["Modified", fmtTime(app.modifyTime)],
    ]),
  );
  const revealed = model.revealed.get(app.appId);
  const revealable = model.session?.secretsRevealable ?? false;
  render(byId("app-credentials", HTMLDivElement), { appId: app.appId, revealed, revealable }, () => {
    if (!revealable) {
      return [h("p", { class: "muted small", text: "AppKey and AppSign are hidden: this emulator can be reached from other machines and has no admin token (start it with --admin-token to reveal them here)." })];
    }
    if (!revealed) {
      return [
        h("span", { class: "muted", text: "AppKey and AppSign: hidden" }),
        h("button", { type: "button", fk: "reveal", "aria-controls": "app-credentials", onclick: () => reveal(app.appId) }, "Reveal AppKey and AppSign"),
      ];
    }
    return [
      h("dl", { class: "facts", "aria-label": "App credentials" }, ...facts([["AppKey", h("code", { text: revealed.appKey })], ["AppSign", h("code", { text: revealed.appSign })]])),
      h("button", { type: "button", fk: "reveal", onclick: () => { model.revealed.delete(app.appId); renderAll(); } }, "Hide"),
    ];
  });
}

/** @param {string} appId */
function reveal(appId) {
  void act(null, async () => {
    const c = await api("GET", `apps/${encodeURIComponent(appId)}/credentials`);
    model.revealed.set(appId, { appKey: c.appKey, appSign: c.appSign });
    renderAll();
    return "AppKey and AppSign revealed (hide them before sharing your screen).";
  });
}

/** @param {Record<string, number>} amounts */
function amountsText(amounts) {
  const entries = Object.entries(amounts).sort((a, b) => Number(a[0]) - Number(b[0]));
  return entries.length === 0 ? "—" : entries.map(([type, n]) => `type ${type}: ${n}`).join(", ");
}

/** @param {Group} g */
function statusOf(g) {
  if (!g.deleted) return tag("live", "ok");
  const left = (g.recoverDeadline ?? 0) - emulatorNow();
  return h("span", {}, tag("deleted", "bad"), " ", left > 0 ? `recoverable for ${fmtDuration(left)}` : "recovery window passed");
}

function renderGroups() {
  const list = model.groups;
  const app = selectedApp();
  if (!app) return;
  byId("groups-title", HTMLHeadingElement).textContent = `Groups of ${app.appName || app.appId}`;
  const summary = !list ? "Loading…" : list.total === 0 ? "No groups." : list.groups.length < list.total ? `Showing ${list.groups.length} of ${list.total} (filter to narrow).` : `${list.total} groups.`;
  byId("groups-summary", HTMLParagraphElement).textContent = summary;
  const tbody = byId("groups-table", HTMLTableElement).tBodies[0];
  if (!tbody) return;
  const minute = Math.floor(emulatorNow() / 60000); // recovery countdowns move by the minute
  render(tbody, { groups: list?.groups ?? [], selected: model.groupId, minute }, () =>
    (list?.groups ?? []).map((g) =>
      h(
        "tr",
        { "aria-selected": g.groupId === model.groupId ? "true" : "false" },
        h("td", {}, h("button", { type: "button", class: "link mono", fk: `group:${g.groupId}`, "aria-label": `Group ${g.groupId}`, onclick: () => select(model.appId, g.groupId) }, g.groupId)),
        h("td", { text: g.groupName || "—" }),
        h("td", { text: g.adminList.join(", ") || "—" }),
        h("td", {}, statusOf(g)),
        h("td", { class: "num", text: g.memberCount }),
        h("td", { text: amountsText(g.msgAmount) }),
        h("td", { class: "num", text: g.totalMessages }),
      ),
    ),
  );
}

function renderGroup() {
  const g = selectedGroup();
  const section = byId("group-section", HTMLElement);
  section.hidden = !g;
  if (!g) return;
  byId("group-title", HTMLHeadingElement).textContent = `Group ${g.groupId}`;
  const minute = Math.floor(emulatorNow() / 60000);
  render(byId("group-details", HTMLElement), { g, minute }, () =>
    facts([
      ["Group ID", h("code", { text: g.groupId })],
      ["Name", g.groupName || "(none)"],
      ["Info", g.groupInfo || "(none)"],
      ["Creator", g.creatorId || "(none)"],
      ["Admins", g.adminList.join(", ") || "(none)"],
      ["Created", fmtTime(g.createTime)],
      [
        "Status",
        g.deleted
          ? h("span", {}, statusOf(g), ` — deleted ${fmtTime(g.deleteTime ?? 0)}${g.deletor ? ` by ${g.deletor}` : ""}; recover until ${fmtTime(g.recoverDeadline ?? 0)}`)
          : tag("live", "ok"),
        g.deleted,
      ],
      ["Online members", `${g.memberCount}${g.superLarge ? " (super-large group: the API hides the member list)" : ""}`],
      ["Sessions", String(g.totalTimes)],
      ["Messages by type", amountsText(g.msgAmount)],
      ["Messages", `${g.totalMessages} sent, ${g.storedMessages} stored, ${g.cachedMessages} cached`],
      [
        "Mutes",
        g.bannedAll
          ? `everyone muted${g.exceptUsers.length ? ` except ${g.exceptUsers.join(", ")}` : ""}${g.bannedUsers.length ? `; muted: ${g.bannedUsers.join(", ")}` : ""}`
          : g.bannedUsers.length
            ? `muted: ${g.bannedUsers.join(", ")}`
            : "none",
      ],
    ]),
  );
  render(byId("members", HTMLUListElement), { members: g.members, count: g.memberCount, deleted: g.deleted }, () => {
    if (g.memberCount === 0) return [h("li", { class: "muted" }, g.deleted ? "Nobody (the group is deleted)." : "Nobody has joined: the group is inactive.")];
    const items = g.members.map((m) =>
      h(
        "li",
        {},
        h("span", { class: "mono", text: m.userId }),
        m.userInfo ? h("span", { class: "muted small", text: m.userInfo }) : "",
        h("button", { type: "button", fk: `leave:${m.userId}`, "aria-label": `Leave: remove ${m.userId} from the group`, onclick: (/** @type {Event} */ e) => leave(g.groupId, m.userId, /** @type {HTMLButtonElement} */ (e.currentTarget)) }, "Leave"),
      ),
    );
    if (g.memberCount > g.members.length) items.push(h("li", { class: "muted", text: `and ${g.memberCount - g.members.length} more` }));
    return items;
  });
  const joinForm = byId("join-form", HTMLFormElement);
  joinForm.hidden = g.deleted;
  byId("join-help", HTMLParagraphElement).hidden = g.deleted;

  const list = model.messages;
  byId("messages-summary", HTMLParagraphElement).textContent = !list
    ? "Loading…"
    : `${list.stored} stored${list.stored > list.messages.length ? ` (newest ${list.messages.length} shown)` : ""}${list.cachedOnly.length ? `; ${list.cachedOnly.length} cached but not stored (only their MsgTid is kept)` : ""}.`;
  const tbody = byId("messages-table", HTMLTableElement).tBodies[0];
  if (!tbody) return;
  render(tbody, list, () => [
    ...(list?.messages ?? []).map((m) =>
      h(
        "tr",
        {},
        h("td", { text: fmtTime(m.time) }),
        h("td", {}, h("span", { class: "mono", text: m.senderId }), m.senderInfo ? h("div", { class: "muted small", text: m.senderInfo }) : ""),
        h("td", { class: "num", text: m.msgType }),
        h("td", { class: "body mono", text: m.bodyPreview + (m.bodyChars > m.bodyPreview.length ? ` … (${m.bodyChars} characters)` : "") }),
        h("td", { class: "mono tid", text: m.msgTid }),
        h("td", { class: "kept" }, tag("stored"), m.cached ? " " : "", m.cached ? tag("cached") : ""),
      ),
    ),
    ...(list?.cachedOnly ?? []).map((tid) =>
      h("tr", {}, h("td", { text: "—" }), h("td", { text: "—" }), h("td", { text: "—" }), h("td", { class: "muted", text: "(not stored: NoStorage)" }), h("td", { class: "mono tid", text: tid }), h("td", { class: "kept" }, tag("cached"))),
    ),
  ]);
}

/**
 * @param {string} groupId
 * @param {string} userId
 * @param {HTMLButtonElement} button
 */
function leave(groupId, userId, button) {
  const appId = model.appId;
  if (!appId) return;
  void act(button, async () => {
    await api("DELETE", `apps/${encodeURIComponent(appId)}/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}`);
    return `${userId} left ${groupId}.`;
  });
}

function renderFaults() {
  const badge = byId("faults-badge", HTMLSpanElement);
  const armed = model.faults.filter((r) => r.remaining !== 0).length;
  badge.hidden = armed === 0;
  badge.textContent = String(armed);
  badge.setAttribute("aria-label", `${armed} armed`);
  const tbody = byId("faults-table", HTMLTableElement).tBodies[0];
  if (!tbody) return;
  render(tbody, model.faults, () =>
    model.faults.length === 0
      ? [h("tr", {}, h("td", { colspan: 9, class: "muted", text: "No fault rules: every call runs normally." }))]
      : model.faults.map((r, i) =>
          h(
            "tr",
            {},
            h("td", { class: "num", text: i + 1 }),
            h("td", { class: "mono", text: r.action }),
            h("td", { text: r.mode }),
            h("td", { text: r.mode === "error" ? `${r.code} (${r.status})` : "—" }),
            h("td", { text: r.mode === "latency" ? `${r.latencyMs} ms` : "—" }),
            h("td", { class: "num", text: r.probability }),
            h("td", { class: "num", text: r.remaining === undefined ? "∞" : r.remaining }),
            h("td", { class: "num", text: r.fired }),
            h("td", {}, h("button", { type: "button", fk: `fault:${i}`, "aria-label": `Remove rule ${i + 1} (${r.action} ${r.mode})`, onclick: (/** @type {Event} */ e) => removeFault(i, /** @type {HTMLButtonElement} */ (e.currentTarget)) }, "Remove")),
          ),
        ),
  );
}

/**
 * @param {number} index
 * @param {HTMLButtonElement} button
 */
function removeFault(index, button) {
  void act(button, async () => {
    model.faults = (await api("DELETE", `faults/rules/${index}`)).rules;
    renderAll();
    return `Fault rule ${index + 1} removed.`;
  });
}

function renderRequests() {
  const tbody = byId("requests-table", HTMLTableElement).tBodies[0];
  if (!tbody) return;
  const size = model.overview?.emulator.requestLogSize;
  byId("requests-summary", HTMLParagraphElement).textContent = `${model.requests.length} calls shown, newest first${size ? ` (the emulator keeps the last ${size})` : ""}.`;
  render(tbody, model.requests, () =>
    model.requests.length === 0
      ? [h("tr", {}, h("td", { colspan: 9, class: "muted", text: "No API calls match." }))]
      : model.requests.map((r) =>
          h(
            "tr",
            {},
            h("td", { text: fmtTime(Date.parse(r.time)) }),
            h("td", { class: "mono", text: r.action }),
            h("td", { class: "mono", text: r.account }),
            h("td", { class: "num" }, r.status < 400 ? tag(String(r.status), "ok") : tag(String(r.status), "bad")),
            h("td", { class: "mono", text: r.code ?? "" }),
            h("td", { class: "num", text: `${r.latencyMs.toFixed(1)} ms` }),
            h("td", {}, r.throttled ? tag("throttled", "warn") : ""),
            h("td", { text: r.signature }),
            h("td", { class: "mono small", text: r.requestId }),
          ),
        ),
  );
}

function renderEmulator() {
  const o = model.overview;
  const hl = /** @type {any} */ (model.health);
  if (!o) return;
  const e = o.emulator;
  /** @type {[string, string][]} */
  const rows = [
    ["Seed", String(e.seed)],
    ["Storage", e.durable ? `durable (${e.dataDir})` : "memory only"],
    ["Signatures", e.verifySignatures ? "verified" : "not verified"],
    ["Throttling", e.throttle ? "on" : "off"],
    ["Admin token", e.adminToken ? "required" : "none"],
    ["Changes", `revision ${o.changes.revision}, ${o.changes.requests} API calls`],
  ];
  if (hl) {
    rows.push(
      ["Uptime", fmtDuration(Number(hl.uptimeSeconds) * 1000)],
      ["Log", hl.log ? `seq ${hl.log.seq}, ${hl.log.compactions ?? 0} compactions` : "—"],
      ["Memory (RSS)", `${Math.round(Number(hl.memory?.rss ?? 0) / 1048576)} MiB`],
      ["Event-loop delay p99", `${hl.eventLoopDelayMs?.p99 ?? "?"} ms`],
    );
  }
  render(byId("emulator-details", HTMLElement), rows, () => facts(rows));
}

/** @param {string[]} actions */
function fillActionSelects(actions) {
  for (const id of ["fault-action", "requests-action"]) {
    const select = byId(id, HTMLSelectElement);
    const have = new Set([...select.options].map((o) => o.value));
    for (const a of actions) if (!have.has(a)) select.append(h("option", { value: a, text: a }));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Controls
// ---------------------------------------------------------------------------------------------------------------

function wireControls() {
  byId("join-form", HTMLFormElement).addEventListener("submit", (e) => {
    e.preventDefault();
    const { appId, groupId } = model;
    const user = byId("join-user", HTMLInputElement);
    const info = byId("join-info", HTMLInputElement);
    const userId = user.value.trim();
    if (!appId || !groupId) return;
    if (!USER_ID.test(userId)) {
      notify("The user ID must be 1 to 64 letters and digits.", "error");
      user.focus();
      return;
    }
    void act(byId("join-button", HTMLButtonElement), async () => {
      await api("POST", `apps/${encodeURIComponent(appId)}/groups/${encodeURIComponent(groupId)}/members`, {
        userId,
        ...(info.value ? { userInfo: info.value } : {}),
      });
      user.value = "";
      info.value = "";
      return `${userId} joined ${groupId}.`;
    });
  });

  byId("groups-filter-form", HTMLFormElement).addEventListener("submit", (e) => e.preventDefault());
  let filterTimer = 0;
  byId("groups-filter", HTMLInputElement).addEventListener("input", () => {
    clearTimeout(filterTimer);
    filterTimer = window.setTimeout(() => void loadGroups().then(renderAll, reportError), 200);
  });

  byId("fault-form", HTMLFormElement).addEventListener("submit", (e) => {
    e.preventDefault();
    /** @param {string} id */
    const value = (id) => /** @type {HTMLInputElement | HTMLSelectElement} */ (document.getElementById(id)).value.trim();
    /** @type {Record<string, string | number>} */
    const rule = { action: value("fault-action"), mode: value("fault-mode") };
    const probability = Number(value("fault-probability") || "1");
    if (probability !== 1) rule.probability = probability;
    if (rule.mode === "error") {
      rule.code = value("fault-code") || "ServiceUnavailable";
      if (value("fault-status")) rule.status = Number(value("fault-status"));
    }
    if (rule.mode === "latency") rule.latencyMs = Number(value("fault-latency") || "0");
    if (value("fault-count")) rule.count = Number(value("fault-count"));
    void act(byId("fault-add-button", HTMLButtonElement), async () => {
      model.faults = (await api("POST", "faults/rules", { rules: [rule] })).rules;
      renderAll();
      return `Fault armed: ${rule.action} → ${rule.mode}${rule.mode === "error" ? ` ${rule.code}` : ""}${rule.count ? ` (${rule.count}×)` : ""}.`;
    });
  });
  const mode = byId("fault-mode", HTMLSelectElement);
  const syncMode = () => {
    byId("fault-code", HTMLInputElement).disabled = mode.value !== "error";
    byId("fault-status", HTMLInputElement).disabled = mode.value !== "error";
    byId("fault-latency", HTMLInputElement).disabled = mode.value !== "latency";
  };
  mode.addEventListener("change", syncMode);
  syncMode();
  byId("faults-clear-button", HTMLButtonElement).addEventListener("click", (e) => {
    void act(/** @type {HTMLButtonElement} */ (e.currentTarget), async () => {
      await api("DELETE", "faults");
      model.faults = [];
      renderAll();
      return "Every fault rule is cleared.";
    });
  });

  for (const id of ["requests-action", "requests-throttled", "requests-limit"]) {
    byId(id, HTMLSelectElement).addEventListener("change", () => void loadRequests().then(renderAll, reportError));
  }
  byId("requests-filter-form", HTMLFormElement).addEventListener("submit", (e) => e.preventDefault());

  byId("compact-button", HTMLButtonElement).addEventListener("click", (e) => {
    void act(/** @type {HTMLButtonElement} */ (e.currentTarget), async () => {
      const r = await api("POST", "compact");
      return r.compacted ? `Snapshot written (log seq ${r.seq}).` : `Nothing to compact: ${r.reason}.`;
    });
  });
  const dialog = byId("reset-dialog", HTMLDialogElement);
  byId("reset-button", HTMLButtonElement).addEventListener("click", () => dialog.showModal());
  byId("reset-cancel", HTMLButtonElement).addEventListener("click", () => dialog.close());
  byId("reset-confirm", HTMLButtonElement).addEventListener("click", (e) => {
    const button = /** @type {HTMLButtonElement} */ (e.currentTarget);
    void act(button, async () => {
      await api("POST", "reset");
      dialog.close();
      model.revealed.clear();
      return "The emulator was reset: every app, group and message is gone.";
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------------------------

function start() {
  if (model.started) return;
  model.started = true;
  byId("compact-button", HTMLButtonElement).disabled = false;
  byId("reset-button", HTMLButtonElement).disabled = false;
  setConnection("connecting", "Connecting…");
  void refresh({ all: true });
  void watch();
  // Recovery countdowns and ages move with time even when nothing changes.
  setInterval(() => renderAll(), 30000);
}

async function boot() {
  readHash();
  wireTabs();
  wireToken();
  wireControls();
  selectTab(model.tab);
  window.addEventListener("hashchange", () => {
    const before = { app: model.appId, group: model.groupId, tab: model.tab };
    readHash();
    if (model.tab !== before.tab) selectTab(model.tab);
    if (model.appId !== before.app || model.groupId !== before.group) {
      const next = { app: model.appId, group: model.groupId };
      model.appId = before.app;
      select(next.app, next.group);
    }
  });
  let session;
  try {
    session = await fetchSession();
  } catch (e) {
    setConnection("error", "The emulator does not answer");
    notify(`Cannot reach the emulator: ${e instanceof Error ? e.message : String(e)}`, "error");
    return;
  }
  if (session.adminTokenRequired) byId("forget-token-button", HTMLButtonElement).hidden = !session.authorized;
  if (!session.authorized) {
    askForToken(model.token ? "The saved token is not accepted any more." : "");
    model.token = "";
    sessionStorage.removeItem(TOKEN_KEY);
    return;
  }
  start();
}

void boot();
