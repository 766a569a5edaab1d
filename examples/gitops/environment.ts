// Reads and validates one environment's files (`environments/<stack>/apps/*.yaml`) into a plain description of the
// apps, groups and seed messages to declare. No Pulumi here: the same function can run in a pre-commit hook or a CI
// lint step (see README.md, "Validate without Pulumi").
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";

// js-yaml ships no type declarations (@types/js-yaml is a separate package); these are the members used here.
interface YamlMark {
  line: number;
  column: number;
}
interface YamlModule {
  load(text: string, options?: { filename?: string; schema?: unknown }): unknown;
  CORE_SCHEMA: unknown;
}
const yaml = require("js-yaml") as YamlModule;

export type DataCenter = "cn-shanghai" | "ap-southeast-1";
export type WhenInactive = "fail" | "wait" | "defer";

export interface SeedMessageSpec {
  /** Names the message in the stack (with its app and group): `<app>/<group>/<key>`. */
  key: string;
  senderId: string;
  /** A string as written, or a mapping serialized as JSON with sorted keys. */
  body?: string;
  msgType?: number;
  msgTid?: string;
  senderMetaInfo?: string;
  weight?: number;
  staticsIncrease?: number;
  noStorage?: boolean;
  noCache?: boolean;
  whenInactive?: WhenInactive;
  waitTimeoutSeconds?: number;
  waitIntervalSeconds?: number;
  /** Where it was declared, `<file>: groups[i].seedMessages[j]`. */
  source: string;
}

export interface GroupSpec {
  groupId: string;
  groupName?: string;
  /** A string as written, or a mapping serialized as JSON with sorted keys. */
  groupInfo?: string;
  administrators?: string[];
  creatorId?: string;
  adopt?: boolean;
  recoverDeleted?: boolean;
  seedMessages: SeedMessageSpec[];
  /** Where it was declared, `<file>: groups[i]`. */
  source: string;
}

export interface AppSpec {
  /** Names the app in the stack (its Pulumi logical name); stable, independent of the file it is in. */
  key: string;
  appName: string;
  dataCenter?: DataCenter;
  msgLifeCycle?: 0 | 1 | 2;
  auditType?: 0 | 1 | 2;
  auditUrl?: string;
  eventCallbackUrl?: string;
  disabled?: boolean;
  /** Leave the app untouched (instead of disabling it) when it is removed from the files or the stack is destroyed. */
  retainOnDelete?: boolean;
  /** Every group of the app, from every file, sorted by groupId. */
  groups: GroupSpec[];
  /** The file that defines the app. */
  file: string;
}

export interface Environment {
  dir: string;
  files: string[];
  /** Sorted by key. */
  apps: AppSpec[];
}

/** Every problem found in an environment, each naming the file and the field. */
export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length === 1 ? "1 problem" : `${problems.length} problems`} in the LiveMessage environment files:\n  ${problems.join("\n  ")}`);
    this.name = "EnvironmentError";
  }
}

// ---- the file format ---------------------------------------------------------------------------------------------
// Group, user and message IDs are letters and digits (spec §2.4); keys become parts of Pulumi logical names.
// Numeric limits (3 administrators, 128-byte names, 15 KB bodies…) are left to the provider, whose `check` reports
// them in the preview on the resource `<app>/<group>` before anything is written.
const ID = /^[A-Za-z0-9]+$/;
const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const typeError = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "required" : `expected ${what}, got ${describe(issue.input)}`;
const str = () => z.string({ error: typeError("a string") });
const id = () => str().regex(ID, { error: "must be letters and digits only" });
const key = () => str().regex(KEY, { error: "must be letters, digits, '-' or '_' (starting with a letter or digit)" });
const int = () => z.number({ error: typeError("an integer") }).int({ error: "must be an integer" });
const num = () => z.number({ error: typeError("a number") });
const bool = () => z.boolean({ error: typeError("true or false") });
const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { error: (issue) => `must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(issue.input)}` });
const level = () =>
  z.union([z.literal(0), z.literal(1), z.literal(2)], { error: (issue) => `must be 0, 1 or 2, got ${describe(issue.input)}` });
/** Free-form text: a string, or a mapping that is stored as JSON. */
const text = () =>
  z.union([z.string(), z.record(z.string(), z.unknown())], { error: (issue) => `expected a string or a mapping, got ${describe(issue.input)}` });

const seedSchema = z.strictObject({
  key: key(),
  senderId: id(),
  body: text().optional(),
  msgType: int().optional(),
  msgTid: id().optional(),
  senderMetaInfo: str().optional(),
  weight: int().optional(),
  staticsIncrease: int().optional(),
  noStorage: bool().optional(),
  noCache: bool().optional(),
  whenInactive: oneOf(["fail", "wait", "defer"]).optional(),
  waitTimeoutSeconds: num().optional(),
  waitIntervalSeconds: num().optional(),
});

const groupSchema = z.strictObject({
  groupId: id(),
  groupName: str().optional(),
  groupInfo: text().optional(),
  administrators: z.array(id(), { error: typeError("a list of user IDs") }).optional(),
  creatorId: id().optional(),
  adopt: bool().optional(),
  recoverDeleted: bool().optional(),
  seedMessages: z.array(seedSchema, { error: typeError("a list") }).optional(),
});

const appSchema = z.strictObject({
  key: key(),
  appName: str().optional(),
  dataCenter: oneOf(["cn-shanghai", "ap-southeast-1"]).optional(),
  msgLifeCycle: level().optional(),
  auditType: level().optional(),
  auditUrl: str().optional(),
  eventCallbackUrl: str().optional(),
  disabled: bool().optional(),
  retainOnDelete: bool().optional(),
});

const fileSchema = z.strictObject({
  // A mapping defines the app; a string adds this file's groups to the app with that key, defined in another file.
  app: z.unknown().optional(),
  groups: z.array(groupSchema, { error: typeError("a list") }).optional(),
});

type AppFields = z.infer<typeof appSchema>;
type GroupFields = z.infer<typeof groupSchema>;

// ---- loading -----------------------------------------------------------------------------------------------------
const FILE_PATTERN = /\.ya?ml$/;

/**
 * Loads `<dir>/apps/*.yaml` (and `*.yml`). Throws an `EnvironmentError` listing every problem (each names the file
 * and the field) — nothing is declared unless every file is valid. `displayRoot` makes file names in messages
 * relative (default: the current directory, which is the project directory under `pulumi`).
 */
export function loadEnvironment(dir: string, displayRoot: string = process.cwd()): Environment {
  const appsDir = path.resolve(dir, "apps");
  const display = (file: string) => {
    const rel = path.relative(displayRoot, file);
    return rel && !rel.startsWith("..") ? rel : file;
  };
  if (!fs.existsSync(appsDir) || !fs.statSync(appsDir).isDirectory()) {
    // Refuse rather than declare nothing: a mistyped directory must not delete a whole environment.
    throw new EnvironmentError([`${display(appsDir)}: no such directory (expected one YAML file per app in it)`]);
  }
  const files = fs
    .readdirSync(appsDir)
    .filter((f) => FILE_PATTERN.test(f))
    .sort()
    .map((f) => path.join(appsDir, f));
  if (files.length === 0) {
    throw new EnvironmentError([`${display(appsDir)}: no *.yaml files (to remove everything, run \`pulumi destroy\` instead)`]);
  }

  const problems: string[] = [];
  const definitions: { file: string; app: AppFields }[] = [];
  const contributions: { file: string; appKey: string; groups: GroupFields[] }[] = [];
  const attempted = new Set<unknown>(); // keys of app definitions, valid or not: a reference to a broken one is not "unknown"
  for (const file of files) {
    const name = display(file);
    const doc = parseYaml(fs.readFileSync(file, "utf8"), name, problems);
    if (doc === undefined) continue;
    const parsed = fileSchema.safeParse(doc);
    if (!parsed.success) {
      problems.push(...formatIssues(name, parsed.error.issues));
      // Still check `app`, so one run reports every problem of the file.
    }
    const raw = doc as { app?: unknown };
    const groups = parsed.success ? (parsed.data.groups ?? []) : [];
    if (typeof raw.app === "string") {
      const k = key().safeParse(raw.app);
      if (!k.success) problems.push(...formatIssues(name, k.error.issues, ["app"]));
      else contributions.push({ file: name, appKey: raw.app, groups });
    } else if (raw.app !== null && typeof raw.app === "object" && !Array.isArray(raw.app)) {
      attempted.add((raw.app as { key?: unknown }).key);
      const a = appSchema.safeParse(raw.app);
      if (!a.success) problems.push(...formatIssues(name, a.error.issues, ["app"]));
      else {
        definitions.push({ file: name, app: a.data });
        contributions.push({ file: name, appKey: a.data.key, groups });
      }
    } else {
      problems.push(
        `${name}: app: ${raw.app === undefined ? "required" : `expected a mapping, got ${describe(raw.app)}`} ` +
          "(a mapping defines an app; a string names an app defined in another file, to add groups to it)",
      );
    }
  }

  const apps = new Map<string, AppSpec>();
  for (const { file, app } of definitions) {
    const seen = apps.get(app.key);
    if (seen) {
      problems.push(`${file}: app.key: app "${app.key}" is already defined in ${seen.file}`);
      continue;
    }
    const { key: appKey, appName, ...rest } = app;
    apps.set(appKey, { key: appKey, appName: appName ?? appKey, ...rest, groups: [], file });
  }
  const groupSources = new Map<string, string>();
  for (const { file, appKey, groups } of contributions) {
    const app = apps.get(appKey);
    if (!app) {
      if (!attempted.has(appKey)) {
        const known = [...apps.keys()].sort();
        problems.push(`${file}: app: no file defines app "${appKey}"${known.length ? ` (defined: ${known.join(", ")})` : ""}`);
      }
      continue;
    }
    groups.forEach((g, i) => {
      const source = `${file}: groups[${i}]`;
      const where = `${appKey}/${g.groupId}`;
      const seen = groupSources.get(where);
      if (seen) {
        problems.push(`${source}.groupId: group "${g.groupId}" of app "${appKey}" is already declared at ${seen}`);
        return;
      }
      groupSources.set(where, source);
      app.groups.push(toGroupSpec(g, source, problems));
    });
  }
  if (problems.length > 0) throw new EnvironmentError(problems);

  for (const app of apps.values()) app.groups.sort((a, b) => compare(a.groupId, b.groupId));
  return { dir, files: files.map(display), apps: [...apps.values()].sort((a, b) => compare(a.key, b.key)) };
}

function toGroupSpec(g: GroupFields, source: string, problems: string[]): GroupSpec {
  const seeds: SeedMessageSpec[] = [];
  const seedKeys = new Map<string, string>();
  (g.seedMessages ?? []).forEach((s, j) => {
    const at = `${source}.seedMessages[${j}]`;
    const seen = seedKeys.get(s.key);
    if (seen) {
      problems.push(`${at}.key: seed message "${s.key}" is already declared at ${seen}`);
      return;
    }
    seedKeys.set(s.key, at);
    const { body, ...rest } = s;
    seeds.push({ ...rest, ...(body !== undefined ? { body: asText(body) } : {}), source: at });
  });
  const { groupInfo, seedMessages: _seeds, ...rest } = g;
  return {
    ...rest,
    ...(groupInfo !== undefined ? { groupInfo: asText(groupInfo) } : {}),
    seedMessages: seeds.sort((a, b) => compare(a.key, b.key)),
    source,
  };
}

function parseYaml(content: string, file: string, problems: string[]): unknown {
  let doc: unknown;
  try {
    doc = yaml.load(content, { filename: file, schema: yaml.CORE_SCHEMA }); // CORE: no dates or binary surprises
  } catch (e) {
    const err = e as { reason?: string; mark?: YamlMark; message?: string };
    const at = err.mark ? `:${err.mark.line + 1}:${err.mark.column + 1}` : "";
    problems.push(`${file}${at}: invalid YAML: ${err.reason ?? err.message ?? String(e)}`);
    return undefined;
  }
  if (doc === undefined || doc === null) {
    problems.push(`${file}: the file is empty (expected a mapping with \`app\` and \`groups\`)`);
    return undefined;
  }
  if (typeof doc !== "object" || Array.isArray(doc)) {
    problems.push(`${file}: expected a mapping with \`app\` and \`groups\`, got ${describe(doc)}`);
    return undefined;
  }
  return doc;
}

/** `file: groups[1].administrators[0]: message` — one line per issue; unknown fields get one line each. */
function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const at = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) lines.push(`${file}: ${dotPath([...at, k])}: unknown field`);
    } else {
      lines.push(`${file}: ${dotPath(at) || "(top level)"}: ${issue.message}`);
    }
  }
  return lines;
}

function dotPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), "");
}

/** Mappings become JSON with sorted keys, so reordering keys in a file is not a change. */
function asText(value: string | Record<string, unknown>): string {
  return typeof value === "string" ? value : JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
