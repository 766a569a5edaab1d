/**
 * The dashboard's static files (`emulator/ui/`, copied to `dist/emulator/ui/` by `npm run build`), served at
 * `/_emulator/ui/`. Plain HTML, CSS and one ES module: nothing to build, nothing loaded from elsewhere.
 *
 * The files hold no data (the page fetches it from the admin endpoints, which check the token and the origin), so
 * they are served without the admin token — the page must load to ask for it. Headers keep the page from being
 * framed by another site (a framed dashboard would make the admin calls same-origin: clickjacking), from loading
 * anything but its own files, and from leaking its URL.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const UI_PATH = "/_emulator/ui/";

/** The only files served, with their types (a fixed list: no path from the URL ever reaches the file system). */
const FILES: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "dashboard.js": "text/javascript; charset=utf-8",
  "dashboard.css": "text/css; charset=utf-8",
  "icon.svg": "image/svg+xml",
};

export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-cache",
};

export interface UiAsset {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

/** Where the files are: next to this module (source tree and dist alike). */
export function uiDirectory(): string {
  return path.join(__dirname, "ui");
}

const cache = new Map<string, Buffer>();

/** The answer to `GET /_emulator/ui…`; undefined when the path is not a dashboard path at all. */
export function uiAsset(pathname: string, method: string): UiAsset | undefined {
  if (pathname === UI_PATH.slice(0, -1)) {
    return { status: 308, headers: { location: UI_PATH, "content-length": "0" }, body: "" };
  }
  if (!pathname.startsWith(UI_PATH)) return undefined;
  if (method !== "GET" && method !== "HEAD") {
    return text(405, `The dashboard's files are read with GET (not ${method.slice(0, 20)}).`, { allow: "GET, HEAD" });
  }
  const name = pathname.slice(UI_PATH.length) || "index.html";
  const type = FILES[name];
  if (!type) return text(404, `No dashboard file ${name.slice(0, 100)}; the dashboard is at ${UI_PATH}.`);
  let body = cache.get(name);
  if (!body) {
    const file = path.join(uiDirectory(), name);
    try {
      body = fs.readFileSync(file);
    } catch (e) {
      return text(500, `The dashboard's file ${file} is missing (${(e as NodeJS.ErrnoException).code ?? "error"}): reinstall the package, or run npm run build in a checkout.`);
    }
    cache.set(name, body);
  }
  return { status: 200, headers: { ...UI_SECURITY_HEADERS, "content-type": type }, body };
}

function text(status: number, message: string, extra: Record<string, string> = {}): UiAsset {
  return { status, headers: { ...UI_SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", ...extra }, body: `${message}\n` };
}
