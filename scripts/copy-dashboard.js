// `npm run build`, after tsc: the dashboard's static files (emulator/ui/: HTML, CSS, one ES module, the icon) are
// not TypeScript, so tsc does not emit them; they are copied next to the compiled emulator, where it serves them from.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const from = path.join(__dirname, "..", "emulator", "ui");
const to = path.join(__dirname, "..", "dist", "emulator", "ui");
// Everything but the type-check config (emulator/ui-assets.ts decides which of them are served).
const FILES = fs.readdirSync(from).filter((name) => name !== "tsconfig.json" && !name.includes(".test."));

fs.rmSync(to, { recursive: true, force: true });
fs.mkdirSync(to, { recursive: true });
for (const name of FILES) fs.copyFileSync(path.join(from, name), path.join(to, name));
