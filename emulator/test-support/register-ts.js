/**
 * `node -r ./emulator/test-support/register-ts.js some.ts`: runs TypeScript sources directly (transpiled with swc,
 * no type check) so tests and benchmarks can spawn the emulator CLI without `npm run build`.
 */
"use strict";
const fs = require("node:fs");
const swc = require("@swc/core");

const options = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs" },
  sourceMaps: "inline",
};

require.extensions[".ts"] = function compileTs(module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, "utf8"), { ...options, filename });
  module._compile(code, filename);
};
