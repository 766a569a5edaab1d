/**
 * Strict parsing of wire parameters (every value a string, spec §2.1). A missing required parameter and every
 * malformed value answer `InputInvalid` naming the parameter — this product reports all input problems with
 * InputInvalid, not the gateway's MissingParameter (spec §11.2).
 */
import {
  callbackUrlProblem,
  DATA_CENTERS,
  DEFAULT_DATA_CENTER,
  isValidId,
  MAX_ID_BYTES,
  utf8Bytes,
  type DataCenter,
} from "../../provider/limits";
import { Errors } from "../errors";
import type { WireParams } from "./types";
import { ACCEPT_JSON_ARRAYS, EMPTY_OPTIONAL_IS_OMITTED } from "./behaviour";

const INT_PATTERN = /^-?\d+$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export interface IntOptions {
  min?: number;
  max?: number;
  /** Allowed values (an enum such as SortType). */
  oneOf?: readonly number[];
  /** int32 (default) or int64 (limited to JS safe integers). */
  kind?: "int32" | "int64";
}

export interface ListOptions {
  /** Most elements allowed. */
  max: number;
  /** Fewest elements when the parameter is present (default 1 for required lists, 0 otherwise). */
  min?: number;
}

export interface StringOptions {
  maxBytes?: number;
  minChars?: number;
  maxChars?: number;
}

function invalid(name: string, why: string): never {
  throw Errors.inputInvalid(`${name} ${why}`);
}

/** Reads typed values out of the wire parameters, throwing InputInvalid that names the parameter. */
export class ParamReader {
  constructor(private readonly params: WireParams) {}

  /** The raw value, or undefined when absent. */
  raw(name: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.params, name) ? this.params[name] : undefined;
  }

  private present(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (v === "" && EMPTY_OPTIONAL_IS_OMITTED) return undefined;
    return v;
  }

  requiredString(name: string, opts: StringOptions = {}): string {
    const v = this.raw(name);
    if (v === undefined || v === "") invalid(name, "is mandatory for this action");
    return this.checkString(name, v, opts);
  }

  optionalString(name: string, opts: StringOptions = {}): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    return this.checkString(name, v, opts);
  }

  private checkString(name: string, v: string, opts: StringOptions): string {
    if (opts.maxBytes !== undefined && utf8Bytes(v) > opts.maxBytes) invalid(name, `exceeds ${opts.maxBytes} bytes`);
    const chars = opts.minChars !== undefined || opts.maxChars !== undefined ? Array.from(v).length : 0;
    if (opts.minChars !== undefined && chars < opts.minChars) invalid(name, `must have at least ${opts.minChars} characters`);
    if (opts.maxChars !== undefined && chars > opts.maxChars) invalid(name, `must have at most ${opts.maxChars} characters`);
    return v;
  }

  /** A required ID (§2.4: letters and digits, ≤ 64 bytes). */
  requiredId(name: string): string {
    const v = this.requiredString(name);
    if (!isValidId(v)) invalid(name, `must be letters and digits, at most ${MAX_ID_BYTES} bytes`);
    return v;
  }

  optionalId(name: string): string | undefined {
    const v = this.present(name);
    if (v === undefined) return undefined;
    if (!isValidId(v)) invalid(name, `must be letters and digits, at most ${MAX_ID_BYTES} bytes`);
    return v;
  }

  requiredInt(name: string, opts: IntOptions = {}): number {
    const v = this.present(name);
    if (v === undefined) invalid(name, "is mandatory for this action");
    return this.checkInt(name, v, opts);
  }

  optionalInt(name: string, opts: IntOptions = {}): number | undefined {
    const v = this.present(name);
    return v === undefined ? undefined : this.checkInt(name, v, opts);
  }

  private checkInt(name: string, v: string, opts: IntOptions): number {
    if (!INT_PATTERN.test(v)) invalid(name, `must be an integer (got "${truncate(v)}")`);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) invalid(name, "is out of range");
    if ((opts.kind ?? "int32") === "int32" && (n < INT32_MIN || n > INT32_MAX)) invalid(name, "is out of range");
    if (opts.oneOf && !opts.oneOf.includes(n)) invalid(name, `must be one of ${opts.oneOf.join(", ")}`);
    if (opts.min !== undefined && n < opts.min) invalid(name, `must be at least ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) invalid(name, `must be at most ${opts.max}`);
    return n;
  }

  optionalBool(name: string): boolean | undefined {
    const v = this.present(name);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    return invalid(name, `must be true or false (got "${truncate(v)}")`);
  }

  /** A required list of IDs (§2.2 comma form). */
  requiredIdList(name: string, opts: ListOptions): string[] {
    const v = this.raw(name);
    if (v === undefined || v === "") invalid(name, "is mandatory for this action");
    return this.checkIdList(name, v, { ...opts, min: opts.min ?? 1 });
  }

  /** An optional list of IDs; absent or empty → undefined. */
  optionalIdList(name: string, opts: ListOptions): string[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (v === "") return [];
    return this.checkIdList(name, v, opts);
  }

  private checkIdList(name: string, v: string, opts: ListOptions): string[] {
    const items = splitList(name, v);
    if (items.length > opts.max) invalid(name, `has more than ${opts.max} entries`);
    if (opts.min !== undefined && items.length < opts.min) invalid(name, `needs at least ${opts.min} entries`);
    for (const item of items) {
      if (!isValidId(item)) invalid(name, `entries must be letters and digits, at most ${MAX_ID_BYTES} bytes`);
    }
    return items;
  }

  /** §2.4 `DataCenter`: one of DATA_CENTERS; omitted → DEFAULT_DATA_CENTER. */
  dataCenter(): DataCenter {
    const v = this.present("DataCenter");
    if (v === undefined) return DEFAULT_DATA_CENTER;
    if (!(DATA_CENTERS as readonly string[]).includes(v)) invalid("DataCenter", `must be one of ${DATA_CENTERS.join(", ")}`);
    return v as DataCenter;
  }

  /** The app an operation addresses (every op except CreateLiveMessageApp / ListLiveMessageApps). */
  appId(): string {
    return this.requiredString("AppId", { maxBytes: MAX_ID_BYTES });
  }
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

function truncate(v: string): string {
  return v.length > 32 ? `${v.slice(0, 32)}…` : v;
}

/** Removes duplicates, keeping the first occurrence's position. */
export function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** Reads an optional callback/moderation URL parameter (§3.1 rules: `callbackUrlProblem` of provider/limits.ts,
 * shared with the client so both sides agree), validating it when non-empty. */
export function optionalCallbackUrl(p: ParamReader, name: string): string | undefined {
  const v = p.raw(name);
  if (v === undefined || v === "") return v;
  const problem = callbackUrlProblem(v);
  if (problem) invalid(name, problem);
  return v;
}
