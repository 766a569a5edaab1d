// The package's public types reach nothing but themselves and @pulumi/pulumi: every declaration file reachable
// from the main entry (dist/sdk/index.d.ts) imports only sibling files of dist/sdk/ and @pulumi/pulumi — no zod, no
// internal module — so a user's compilation (any tsconfig, no skipLibCheck) type-checks only what it uses.
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, ensureBuilt } from "./engine/support";

jest.setTimeout(120000);

it("dist/sdk's declarations import only each other and @pulumi/pulumi", () => {
  ensureBuilt();
  const sdk = path.join(REPO_ROOT, "dist", "sdk");
  const seen = new Set<string>();
  const foreign: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from\s+|import\()\s*["']([^"']+)["']/g)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) {
        const target = path.resolve(path.dirname(file), spec.endsWith(".js") ? spec.replace(/\.js$/, ".d.ts") : `${spec}.d.ts`);
        if (!target.startsWith(sdk + path.sep)) foreign.push(`${path.relative(sdk, file)} → ${spec}`);
        else visit(fs.existsSync(target) ? target : path.join(target.replace(/\.d\.ts$/, ""), "index.d.ts"));
      } else if (spec !== "@pulumi/pulumi" && !spec.startsWith("@pulumi/pulumi/")) {
        foreign.push(`${path.relative(sdk, file)} → ${spec}`);
      }
    }
  };
  visit(path.join(sdk, "index.d.ts"));
  expect(seen.size).toBeGreaterThan(5);
  expect(foreign).toEqual([]);
});
