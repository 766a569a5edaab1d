"use strict";
// Preloaded (`node -r`) into the program child process: compiles TypeScript on the fly with @swc/core's
// transformSync, the way `pulumi-language-nodejs` runs an index.ts through ts-node. Type errors are not
// reported (swc only strips types), which keeps a program start fast.
const fs = require("fs");
const Module = require("module");
const swc = require("@swc/core");

function compileTs(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const out = swc.transformSync(source, {
    filename,
    sourceMaps: "inline",
    jsc: {
      parser: { syntax: "typescript", tsx: filename.endsWith(".tsx"), decorators: true },
      target: "es2022",
      keepClassNames: true,
    },
    module: { type: "commonjs" },
  });
  module._compile(out.code, filename);
}

for (const ext of [".ts", ".tsx", ".cts"]) {
  if (!Module._extensions[ext]) Module._extensions[ext] = compileTs;
}
