// Bulk adoption under the real CLI: 1,000 existing groups (and their app) adopted with livemessage-import and one
// `pulumi import --file`, against an emulator throttling at 50 QPS per action; the generated YAML in the program
// leaves `pulumi preview --expect-no-changes` clean. (5,000 groups, timed: `make bench-import`.)
import { itWithCli } from "./cli";
import { adopt } from "./adopt";

jest.setTimeout(1_200_000);

const GROUPS = Number(process.env.LM_IMPORT_GROUPS ?? 1000);

describe("pulumi import --file from livemessage-import", () => {
  itWithCli(
    `adopts ${GROUPS} groups and the app in one import; the generated code previews without changes`,
    async () => {
      const figures = await adopt(GROUPS, { skipCheckpoints: true });
      process.stderr.write(`bulk import: ${JSON.stringify(figures)}\n`);
      expect(figures.importedResources).toBe(GROUPS + 1);
      expect(figures.generatedLines).toBeGreaterThan(GROUPS * 4);
    },
    { language: "yaml" },
  );
});
