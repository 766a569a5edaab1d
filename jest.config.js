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
};
