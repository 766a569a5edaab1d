// The program directory the harness runs in: a copy of the user's program with a node_modules in which the
// packages under test are installed by name, like a user's `npm install`.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface WorkspaceOptions {
  programDir: string;
  /** Files to add or override, relative to the program directory. */
  files?: Record<string, string>;
  /** Package name -> package directory, installed into the program's node_modules. */
  packages?: Record<string, string>;
  /**
   * "copy" (default) installs a copy under node_modules, as `npm install` of a packed package or
   * `install-links=true` does. Pulumi's closure serializer decides by real path whether captured modules are
   * installed packages (emitted as `require("pkg")`) or local code (serialized by value), so only a copy gives the
   * `__provider` a user gets. "link" symlinks the directory instead (faster, but the package counts as local code).
   */
  packageMode?: "copy" | "link";
  /** node_modules whose entries become resolvable from the program (default: the one holding @pulumi/pulumi). */
  nodeModules: string;
  /** Where to build the workspace (default: a fresh temp directory). */
  workDir?: string;
}

const SKIP_PROGRAM = new Set(["node_modules", ".pulumi", "bin", ".git"]);

function copyDir(from: string, to: string, skip: (name: string) => boolean): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(src, dst, () => false);
    else fs.copyFileSync(src, dst);
  }
}

/** Copies what `npm pack` would ship: package.json plus the `files` entries (negations are not interpreted). */
function installPackageCopy(pkgDir: string, dest: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { files?: string[] };
  fs.mkdirSync(dest, { recursive: true });
  if (!Array.isArray(manifest.files)) {
    copyDir(pkgDir, dest, (name) => name === "node_modules" || name === ".git");
    return;
  }
  const always = fs.readdirSync(pkgDir).filter((n) => /^(package\.json|readme|license|licence)/i.test(n));
  const listed = manifest.files.filter((f) => !f.startsWith("!")).map((f) => f.replace(/\/+$/, ""));
  for (const rel of new Set([...always, ...listed])) {
    const src = path.join(pkgDir, rel);
    if (!fs.existsSync(src)) continue;
    const dst = path.join(dest, rel);
    if (fs.statSync(src).isDirectory()) copyDir(src, dst, (name) => name === "node_modules");
    else {
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

/**
 * Links every entry of `nodeModules` into `target`, except the names in `exclude` (scoped names descend into
 * the scope directory). Node resolves symlinks to real paths, so @pulumi/pulumi stays a single instance.
 */
function linkNodeModules(nodeModules: string, target: string, exclude: ReadonlySet<string>): void {
  fs.mkdirSync(target, { recursive: true });
  for (const entry of fs.readdirSync(nodeModules, { withFileTypes: true })) {
    const name = entry.name;
    if (name.startsWith(".")) continue;
    const src = path.join(nodeModules, name);
    const dst = path.join(target, name);
    if (name.startsWith("@") && [...exclude].some((e) => e.startsWith(`${name}/`))) {
      fs.mkdirSync(dst, { recursive: true });
      for (const child of fs.readdirSync(src)) {
        if (!exclude.has(`${name}/${child}`)) fs.symlinkSync(path.join(src, child), path.join(dst, child));
      }
      continue;
    }
    if (!exclude.has(name)) fs.symlinkSync(src, dst);
  }
}

/** Stack config files (`Pulumi.<stack>.yaml`, e.g. the one `make up` writes) belong to other backends' stacks. */
const STACK_CONFIG = /^Pulumi\..+\.ya?ml$/;

export function prepareWorkspace(opts: WorkspaceOptions): string {
  const workDir = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "engine-harness-"));
  copyDir(opts.programDir, workDir, (name) => SKIP_PROGRAM.has(name) || STACK_CONFIG.test(name));
  for (const [rel, content] of Object.entries(opts.files ?? {})) writeProgramFile(workDir, rel, content);
  const packages = opts.packages ?? {};
  const nodeModules = path.join(workDir, "node_modules");
  linkNodeModules(opts.nodeModules, nodeModules, new Set(Object.keys(packages)));
  for (const [name, dir] of Object.entries(packages)) {
    const dest = path.join(nodeModules, ...name.split("/"));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (opts.packageMode === "link") fs.symlinkSync(path.resolve(dir), dest, "dir");
    else installPackageCopy(path.resolve(dir), dest);
  }
  return workDir;
}

export function writeProgramFile(workDir: string, rel: string, content: string): void {
  const dest = path.resolve(workDir, rel);
  if (!dest.startsWith(workDir + path.sep)) throw new Error(`program file outside the program directory: ${rel}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, content);
}

/** `name` and `main` from Pulumi.yaml (the two fields the harness uses), without a YAML dependency. */
export function readPulumiYaml(dir: string): { name?: string; main?: string } {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) return {};
  const text = fs.readFileSync(file, "utf8");
  const field = (key: string): string | undefined => {
    const m = new RegExp(`^${key}:\\s*(.+?)\\s*$`, "m").exec(text);
    return m ? m[1].replace(/^["']|["']$/g, "") : undefined;
  };
  return { name: field("name"), main: field("main") };
}
