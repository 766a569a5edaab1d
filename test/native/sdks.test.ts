// sdks/ is what `make sdks` generates from schema.json (Pulumi's own code generators, tools/sdkgen*): CI fails when
// the committed SDKs are stale — e.g. a resource's fields changed and `make schema sdks` was not run.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../engine/support";

jest.setTimeout(900_000);

function hasGo(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function files(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, base) : [path.relative(base, p)];
  });
}

(hasGo() ? it : it.skip)(`the committed sdks/ are what \`make sdks\` generates${hasGo() ? "" : " (skipped: no Go toolchain)"}`, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "lm-sdks-"));
  try {
    execFileSync("bash", [path.join(REPO_ROOT, "scripts", "generate-sdks.sh"), out], { stdio: "pipe", timeout: 840_000 });
    const committed = path.join(REPO_ROOT, "sdks");
    const want = files(out).sort();
    // What the repository holds (tracked, or new and not ignored): a pip install from sdks/python leaves ignored
    // build output in the tree.
    const held = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "sdks"], { cwd: REPO_ROOT, encoding: "utf8" })
      .split("\0")
      .filter(Boolean)
      .filter((f) => fs.existsSync(path.join(REPO_ROOT, f)))
      .map((f) => path.relative("sdks", f));
    expect(held.sort()).toEqual(want);
    const stale = want.filter((f) => !fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(committed, f))));
    expect({ stale, fix: "run `make schema sdks` and commit the result" }).toEqual({ stale: [], fix: "run `make schema sdks` and commit the result" });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
