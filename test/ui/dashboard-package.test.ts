/**
 * The dashboard as users get it: `npm run build` puts its files next to the compiled emulator, the published
 * package contains them, and the built emulator (dist/, what `npx livemessage-emulator` runs) serves them.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { request } from "undici";
import { ensureBuilt, REPO_ROOT } from "../engine/support";

jest.setTimeout(120_000);

const SOURCE = path.join(REPO_ROOT, "emulator", "ui");
const BUILT = path.join(REPO_ROOT, "dist", "emulator", "ui");
const FILES = ["index.html", "dashboard.js", "dashboard.css", "icon.svg"];

beforeAll(() => {
  ensureBuilt();
  // Like ensureBuilt for the TypeScript: a developer running jest alone after editing the page gets it rebuilt.
  const stale = FILES.some((f) => !fs.existsSync(path.join(BUILT, f)) || !fs.readFileSync(path.join(BUILT, f)).equals(fs.readFileSync(path.join(SOURCE, f))));
  if (stale) execFileSync(process.execPath, [path.join(REPO_ROOT, "scripts", "copy-dashboard.js")], { cwd: REPO_ROOT });
});

it("npm run build copies the dashboard's files next to the compiled emulator", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(pkg.scripts.build).toMatch(/tsc -p tsconfig\.build\.json && node scripts\/copy-dashboard\.js/);
  expect(fs.readdirSync(BUILT).sort()).toEqual([...FILES].sort());
});

it("the built emulator serves them at /_emulator/ui/", async () => {
  const { startEmulator } = require(path.join(REPO_ROOT, "dist", "emulator", "index.js")) as typeof import("../../emulator");
  const emu = await startEmulator({ throttle: false });
  try {
    for (const [file, url] of [["index.html", "/_emulator/ui/"], ...FILES.map((f) => [f, `/_emulator/ui/${f}`])] as const) {
      const res = await request(`${emu.url}${url}`);
      const body = Buffer.from(await res.body.arrayBuffer());
      expect({ url, status: res.statusCode, same: body.equals(fs.readFileSync(path.join(SOURCE, file))) }).toEqual({ url, status: 200, same: true });
    }
  } finally {
    await emu.stop();
  }
});

it("the published package contains them", () => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO_ROOT, encoding: "utf8" });
  const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  for (const f of FILES) expect(files).toContain(`dist/emulator/ui/${f}`);
  expect(files).not.toContain("dist/emulator/ui/tsconfig.json");
});
