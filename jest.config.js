const os = require("os");

/** @type {import('jest').Config} */
const swc = ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }];
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": swc },
  roots: ["<rootDir>/provider", "<rootDir>/sdk", "<rootDir>/emulator", "<rootDir>/plugin", "<rootDir>/test", "<rootDir>/examples", "<rootDir>/bench"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  testTimeout: 30000,
  // At least two workers: the real-CLI and packaging suites mostly wait on child processes (pulumi, npm), so on a
  // 2-core machine two of them overlap well; jest's default there would be one.
  maxWorkers: Math.max(2, os.cpus().length - 1),
  // A suite that leaves a handle open (a keep-alive socket, a child's pipe) must not hold the whole run: the last CI
  // run printed every result and then waited until its time limit. Results are final when the last suite ends.
  forceExit: true,
};
