import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "**/node_modules/**", "examples/**/bin/**", "jest.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // The emulator is an independent second reading of the spec (DESIGN.md): it shares no code with the provider.
    files: ["emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/provider", "**/provider/**", "**/sdk", "**/sdk/**", "pulumi-alicloud-livemessage", "pulumi-alicloud-livemessage/*"],
              message: "emulator/ imports nothing from provider/ or sdk/: write the emulator's own version (emulator/spec/).",
            },
          ],
        },
      ],
    },
  },
  {
    // The dashboard's browser module: names (DOM, window) are checked by `tsc -p emulator/ui` (checkJs, lib DOM).
    files: ["emulator/ui/**/*.js"],
    languageOptions: { sourceType: "module" },
    rules: { "no-undef": "off" },
  },
  {
    files: ["**/*.test.ts", "test/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
