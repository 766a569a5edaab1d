// What the package and its documents promise about themselves: links that work on the npm registry, the license,
// the changelog, semver, the engines the suite runs on, the quickstart's config, and the release workflow's checks.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand } from "../cli/support";
import { REPO_ROOT } from "../engine/support";
import { cleanEnv } from "./checkout";

const yaml = require("js-yaml") as { load(text: string): unknown };
const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
const PKG = JSON.parse(read("package.json")) as { version: string; license: string; engines: { node: string }; files: string[]; scripts: Record<string, string> };

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");

describe("README.md", () => {
  const readme = read("README.md");
  // Text links only. An image (`![…](docs/….png)`) can only be made to work on the registry with an absolute URL,
  // which needs the repository's public address (package.json has no "repository" yet).
  const links = [...readme.matchAll(/(?<!!\[[^\]]*)\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

  it("links only to web pages and its own headings (relative file links break on the npm registry)", () => {
    const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!)));
    for (const link of links) {
      if (/^https?:\/\//.test(link)) continue;
      expect({ link, ok: link.startsWith("#") && anchors.has(link.slice(1)) }).toEqual({ link, ok: true });
    }
  });

  it("has no stray headings or unclosed comments", () => {
    expect(readme).not.toMatch(/-->/);
    expect(readme).not.toMatch(/<!--/);
    const headings = [...readme.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!);
    expect(new Set(headings).size).toBe(headings.length);
  });
});

it("the quickstart sets no endpoint in Pulumi.yaml (its README: leave it unset for Alibaba Cloud)", () => {
  expect(read("examples/quickstart/Pulumi.yaml")).not.toMatch(/livemessage:endpoint/);
  expect(read("examples/quickstart/README.md")).toMatch(/leave `livemessage:endpoint` unset/);
});

it("LICENSE is the Apache License 2.0 that package.json names; the version is semver; CHANGELOG keeps a changelog", () => {
  expect(PKG.license).toBe("Apache-2.0");
  const license = read("LICENSE");
  expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  expect(license).toMatch(/END OF TERMS AND CONDITIONS/);
  expect(PKG.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  const changelog = read("CHANGELOG.md");
  expect(changelog).toMatch(/keepachangelog\.com/);
  expect(changelog).toMatch(/^## \[Unreleased\]$/m);
  for (const m of changelog.matchAll(/^## \[([^\]]+)\](.*)$/gm)) {
    if (m[1] === "Unreleased") continue;
    expect(m[1]).toMatch(/^\d+\.\d+\.\d+/);
    expect(m[2]).toMatch(/^ - \d{4}-\d{2}-\d{2}$/);
  }
  for (const f of ["LICENSE", "CHANGELOG.md", "README.md"]) expect(PKG.files).toContain(f);
});

it("engines name the Node.js lines the suite runs on: the machine's (20) and Node 22 (make test-node22)", () => {
  expect(PKG.engines.node).toBe("^20.18.1 || ^22");
  expect(read("Makefile")).toMatch(/NODE22_VERSION := 22\./);
  expect(read(".ci/run")).toMatch(/make test-node22|run node22 test-node22/);
});

describe("the release workflow (.github/workflows/release.yml)", () => {
  interface Step {
    name?: string;
    run?: string;
    uses?: string;
  }
  const workflow = yaml.load(read(".github/workflows/release.yml")) as {
    on: { push: { tags: string[] } };
    permissions: Record<string, string>;
    jobs: { publish: { steps: Step[] } };
  };
  const steps = workflow.jobs.publish.steps;
  const runs = steps.map((s) => s.run ?? "");

  it("publishes with provenance on version tags, after every test", () => {
    expect(workflow.on.push.tags).toEqual(["v*.*.*"]);
    expect(workflow.permissions["id-token"]).toBe("write");
    const publish = runs.findIndex((r) => /npm publish --provenance/.test(r));
    const tests = runs.indexOf("bash .ci/run");
    expect(publish).toBeGreaterThan(tests);
    expect(tests).toBeGreaterThan(-1);
  });

  it("refuses a tag that is not the package's version, or a version without a changelog section", async () => {
    const check = async (tag: string, changelog: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-check-"));
      try {
        fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(dir, "package.json"));
        fs.writeFileSync(path.join(dir, "CHANGELOG.md"), changelog);
        const results = [];
        for (const step of steps.filter((s) => /^the (tag|changelog)/.test(s.name ?? ""))) {
          results.push((await runCommand("bash", ["-eo", "pipefail", "-c", step.run!], { cwd: dir, env: cleanEnv({ GITHUB_REF_NAME: tag }) })).code);
        }
        return results;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const released = `# Changelog\n\n## [Unreleased]\n\n## [${PKG.version}] - 2026-12-01\n\n### Added\n- everything\n`;
    expect(await check(`v${PKG.version}`, released)).toEqual([0, 0]);
    expect((await check("v9.9.9", released))[0]).not.toBe(0);
    expect((await check(`v${PKG.version}`, "# Changelog\n\n## [Unreleased]\n"))[1]).not.toBe(0);
  });
});
