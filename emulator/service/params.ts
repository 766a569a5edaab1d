/**
 * Validation of wire parameters (every value a string, spec §2.1) against the operation table of
 * `../spec/operations.ts`. A missing required parameter and every malformed value answer `InputInvalid` naming the
 * parameter — this product reports input problems with InputInvalid, not the gateway's MissingParameter (§11.2).
 *
 * `ParamReader.validate()` checks every parameter of the action before the handler runs; the handler then only
 * reads parsed values (`str`, `int`, `bool`, `list`, …), so no limit is written twice.
 */
import { Errors } from "../errors";
import { DATA_CENTERS, DEFAULT_DATA_CENTER, hookUrlProblem, ID_MAX_BYTES, isId, byteLength, type DataCenter } from "../spec/limits";
import type { OperationRule, ParamRule } from "../spec/operations";
import { ACCEPT_JSON_ARRAYS, EMPTY_OPTIONAL_IS_OMITTED } from "./behaviour";
import type { WireParams } from "./types";

const INT_PATTERN = /^-?\d+$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const ID_RULE = `must be letters and digits, at most ${ID_MAX_BYTES} bytes`;

/** A parsed parameter value. */
export type ParamValue = string | number | boolean | string[];

function invalid(name: string, why: string): never {
  throw Errors.inputInvalid(`${name} ${why}`);
}

function truncate(v: string): string {
  return v.length > 32 ? `${v.slice(0, 32)}…` : v;
}

/**
 * Checks one wire value against its rule. Returns the parsed value, or undefined when the parameter counts as
 * omitted (absent, or empty for kinds where an empty value means "not given"). Throws InputInvalid.
 */
export function checkParam(rule: ParamRule, raw: string | undefined): ParamValue | undefined {
  const { name } = rule;
  if (raw === undefined || (raw === "" && omitsWhenEmpty(rule))) {
    if (rule.required) invalid(name, "is mandatory for this action");
    return undefined;
  }
  switch (rule.kind) {
    case "string":
      if (rule.maxBytes !== undefined && byteLength(raw) > rule.maxBytes) invalid(name, `exceeds ${rule.maxBytes} bytes`);
      return raw;
    case "appId":
      if (/[\s,]/.test(raw)) invalid(name, "must not contain whitespace or commas");
      if (rule.maxBytes !== undefined && byteLength(raw) > rule.maxBytes) invalid(name, `exceeds ${rule.maxBytes} bytes`);
      return raw;
    case "id":
      if (!isId(raw)) invalid(name, ID_RULE);
      return raw;
    case "appName": {
      const chars = Array.from(raw).length;
      if (rule.min !== undefined && chars < rule.min) invalid(name, `must have at least ${rule.min} characters`);
      if (rule.max !== undefined && chars > rule.max) invalid(name, `must have at most ${rule.max} characters`);
      return raw;
    }
    case "dataCenter":
      if (!(DATA_CENTERS as readonly string[]).includes(raw)) invalid(name, `must be one of ${DATA_CENTERS.join(", ")}`);
      return raw;
    case "hookUrl": {
      // "" means "no URL" (callbacks off / no custom moderation), §3.1, §3.5.
      if (raw === "") return raw;
      const problem = hookUrlProblem(raw);
      if (problem) invalid(name, problem);
      return raw;
    }
    case "int":
      return checkInt(rule, raw);
    case "bool": {
      const lower = raw.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      return invalid(name, `must be true or false (got "${truncate(raw)}")`);
    }
    case "idList": {
      const items = raw === "" ? [] : splitList(name, raw);
      const min = rule.minItems ?? (rule.required ? 1 : 0);
      if (rule.maxItems !== undefined && items.length > rule.maxItems) invalid(name, `has more than ${rule.maxItems} entries`);
      if (items.length < min) invalid(name, `needs at least ${min} entries`);
      for (const item of items) if (!isId(item)) invalid(name, `entries ${ID_RULE}`);
      return items;
    }
  }
}

/** Optional numbers, booleans, IDs, names and data centers may arrive as `Name=` from SDKs: that means omitted. A
 * required one sent empty is missing. Free text and lists keep "" as a value (an empty list, an empty text). */
function omitsWhenEmpty(rule: ParamRule): boolean {
  if (rule.required) return true;
  return EMPTY_OPTIONAL_IS_OMITTED && rule.kind !== "string" && rule.kind !== "idList" && rule.kind !== "hookUrl";
}

function checkInt(rule: ParamRule, raw: string): number {
  const { name } = rule;
  if (!INT_PATTERN.test(raw)) invalid(name, `must be an integer (got "${truncate(raw)}")`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) invalid(name, "is out of range");
  if (!rule.int64 && (n < INT32_MIN || n > INT32_MAX)) invalid(name, "is out of range");
  if (rule.oneOf && !rule.oneOf.includes(n)) invalid(name, `must be one of ${rule.oneOf.join(", ")}`);
  if (rule.min !== undefined && n < rule.min) invalid(name, `must be at least ${rule.min}`);
  if (rule.max !== undefined && n > rule.max) invalid(name, `must be at most ${rule.max}`);
  return n;
}

function splitList(name: string, v: string): string[] {
  if (ACCEPT_JSON_ARRAYS && v.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      return invalid(name, "is not a valid list");
    }
    if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === "string")) {
      return invalid(name, "must be a list of strings");
    }
    return parsed;
  }
  const items = v.split(",");
  if (items.some((s) => s === "")) invalid(name, "contains an empty entry");
  return items;
}

/** Typed access to the parameters of one call, validated against the action's rules. */
export class ParamReader {
  private readonly values = new Map<string, ParamValue>();
  private readonly rules: ReadonlyMap<string, ParamRule>;

  constructor(
    private readonly params: WireParams,
    private readonly operation: OperationRule,
  ) {
    this.rules = new Map(operation.params.map((r) => [r.name, r]));
  }

  /** Checks every parameter of the table, in table order (the first problem is reported). */
  validate(): this {
    for (const rule of this.operation.params) {
      const v = checkParam(rule, this.raw(rule.name));
      if (v !== undefined) this.values.set(rule.name, v);
    }
    return this;
  }

  /** The raw value, or undefined when absent (never an inherited property). */
  raw(name: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.params, name) ? this.params[name] : undefined;
  }

  private get(name: string, kinds: readonly string[], required: boolean): ParamValue | undefined {
    const rule = this.rules.get(name);
    // A handler reading a parameter its table does not declare (or as another kind) is an emulator bug.
    if (!rule || !kinds.includes(rule.kind) || (required && !rule.required)) {
      throw new Error(`emulator bug: ${this.operation.action} reads ${name} as ${kinds.join("/")}${required ? " (required)" : ""}, which its table does not declare`);
    }
    return this.values.get(name);
  }

  str(name: string): string | undefined {
    return this.get(name, ["string", "id", "appName", "hookUrl"], false) as string | undefined;
  }

  reqStr(name: string): string {
    return this.get(name, ["string", "id"], true) as string;
  }

  int(name: string): number | undefined {
    return this.get(name, ["int"], false) as number | undefined;
  }

  reqInt(name: string): number {
    return this.get(name, ["int"], true) as number;
  }

  bool(name: string): boolean | undefined {
    return this.get(name, ["bool"], false) as boolean | undefined;
  }

  list(name: string): string[] | undefined {
    return this.get(name, ["idList"], false) as string[] | undefined;
  }

  reqList(name: string): string[] {
    return this.get(name, ["idList"], true) as string[];
  }

  /** §2.4 `DataCenter`, DEFAULT_DATA_CENTER when omitted. */
  dataCenter(): DataCenter {
    return (this.get("DataCenter", ["dataCenter"], false) as DataCenter | undefined) ?? DEFAULT_DATA_CENTER;
  }

  /** The app an operation addresses (every op except CreateLiveMessageApp / ListLiveMessageApps). */
  appId(): string {
    return this.get("AppId", ["appId"], true) as string;
  }
}

/** Removes duplicates, keeping the first occurrence's position. */
export function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
