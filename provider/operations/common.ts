/**
 * Field schemas shared by the 29 operation modules (spec §2–§8). Every limit comes from `../limits`; messages say
 * what is wrong and what is allowed, and never echo free-form values (bodies, infos, URLs may be private) — only
 * sizes, counts, types and enum values.
 */
import { z } from "zod";
import {
  APP_NAME_MAX_CHARS,
  APP_NAME_MIN_CHARS,
  DATA_CENTERS,
  ID_PATTERN,
  MAX_ID_BYTES,
  callbackUrlProblem,
  utf8Bytes,
} from "../limits";

/** What an input's type is, for messages ("got number"), without its value. */
export function describeType(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  if (typeof input === "number" && Number.isNaN(input)) return "NaN";
  return typeof input;
}

/** zod `error` option: "is required (a string)" when missing, "must be a string (got number)" otherwise. */
function typeError(expected: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `is required (${expected})` : `must be ${expected} (got ${describeType(issue.input)})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars

/** A string parameter; `maxBytes` is measured in UTF-8 bytes, as the service counts them. */
export function stringField(opts: { maxBytes?: number; nonEmpty?: boolean } = {}) {
  return z.string({ error: typeError("a string") }).superRefine((value, ctx) => {
    if (opts.nonEmpty && value.length === 0) {
      ctx.addIssue({ code: "custom", message: "must not be empty" });
      return;
    }
    if (opts.maxBytes !== undefined) {
      const bytes = utf8Bytes(value);
      if (bytes > opts.maxBytes) {
        ctx.addIssue({
          code: "custom",
          message: `must be at most ${opts.maxBytes} bytes in UTF-8 (got ${bytes} bytes)`,
        });
      }
    }
  });
}

/** Why `value` is not a valid ID (§2.4: letters and digits only, 1–64 bytes), or undefined when it is valid. */
export function idProblem(value: string): string | undefined {
  const rule = `must be letters and digits only, at most ${MAX_ID_BYTES} bytes`;
  if (value.length === 0) return `must not be empty; ${rule}`;
  const bytes = utf8Bytes(value);
  if (!ID_PATTERN.test(value)) {
    const bad = [...value].find((ch) => !ID_PATTERN.test(ch)) ?? "";
    const shown = /^[\x21-\x7e]$/.test(bad) ? `"${bad}"` : `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    return `${rule} (found ${shown}${bytes > MAX_ID_BYTES ? `, ${bytes} bytes` : ""})`;
  }
  if (bytes > MAX_ID_BYTES) return `${rule} (got ${bytes} bytes)`;
  return undefined;
}

/** GroupId, user IDs, MsgTid (§2.4): letters and digits, at most 64 bytes. */
export function idField() {
  return z.string({ error: typeError("a string") }).superRefine((value, ctx) => {
    const problem = idProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/**
 * AppId: issued by the service (§3.1), so its format is the service's business. [U] We only require a non-empty
 * string of at most `APP_ID_MAX_BYTES` bytes without commas or whitespace — loose on purpose.
 */
export const APP_ID_MAX_BYTES = 64;
export function appIdField() {
  return z.string({ error: typeError("a string") }).superRefine((value, ctx) => {
    if (value.length === 0) ctx.addIssue({ code: "custom", message: "must not be empty" });
    else if (/[\s,]/.test(value)) ctx.addIssue({ code: "custom", message: "must not contain whitespace or commas" });
    else if (utf8Bytes(value) > APP_ID_MAX_BYTES) {
      ctx.addIssue({ code: "custom", message: `must be at most ${APP_ID_MAX_BYTES} bytes (got ${utf8Bytes(value)} bytes)` });
    }
  });
}

/** §2.4 DataCenter ∈ DATA_CENTERS. */
export function dataCenterField() {
  return z.string({ error: typeError("a string") }).superRefine((value, ctx) => {
    if (!(DATA_CENTERS as readonly string[]).includes(value)) {
      ctx.addIssue({
        code: "custom",
        message: `must be one of ${DATA_CENTERS.map((d) => `"${d}"`).join(", ")} (got "${value.slice(0, 32)}")`,
      });
    }
  });
}

/** §3.1 AppName: 2–16 characters (counted as Unicode code points). */
export function appNameField() {
  return z.string({ error: typeError("a string") }).superRefine((value, ctx) => {
    const chars = [...value].length;
    if (chars < APP_NAME_MIN_CHARS || chars > APP_NAME_MAX_CHARS) {
      ctx.addIssue({
        code: "custom",
        message: `must be ${APP_NAME_MIN_CHARS}–${APP_NAME_MAX_CHARS} characters long (got ${chars})`,
      });
    }
  });
}

/** An integer parameter (int32/int64 on the wire; JS safe-integer range), optionally within [min, max]. */
export function intField(opts: { min?: number; max?: number } = {}) {
  return z.number({ error: typeError("an integer") }).superRefine((value, ctx) => {
    if (!Number.isSafeInteger(value)) {
      ctx.addIssue({ code: "custom", message: `must be an integer (got ${value})` });
      return;
    }
    const { min, max } = opts;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const range =
        min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
      ctx.addIssue({ code: "custom", message: `must be ${range} (got ${value})` });
    }
  });
}

/** An integer enum, e.g. `intEnum({ 1: "ascending", 2: "descending" })` → "must be 1 (ascending) or 2 (descending)". */
export function intEnum(labels: Readonly<Record<number, string>>) {
  const allowed = Object.keys(labels).map(Number);
  const list = allowed.map((v) => `${v} (${labels[v]})`);
  const text = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : (list[0] ?? "");
  return z.number({ error: typeError("an integer") }).superRefine((value, ctx) => {
    if (!allowed.includes(value)) ctx.addIssue({ code: "custom", message: `must be ${text} (got ${value})` });
  });
}

export function boolField() {
  return z.boolean({ error: typeError("a boolean") });
}

/** A comma-joined ID list (§2.2) of `min`–`max` IDs, each a valid ID (§2.4). */
export function idListField(opts: { min: number; max: number }) {
  return z.array(idField(), { error: typeError("an array of strings") }).superRefine((value, ctx) => {
    if (value.length < opts.min || value.length > opts.max) {
      const range = opts.min === opts.max ? `exactly ${opts.min}` : opts.min > 0 ? `${opts.min}–${opts.max}` : `at most ${opts.max}`;
      ctx.addIssue({ code: "custom", message: `must list ${range} IDs (got ${value.length})` });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Callback / moderation URLs (§3.1: "http:// or https://, no private IP, no port"; rules in limits.callbackUrlProblem)

/**
 * AuditUrl / EventCallbackUrl. `allowEmpty`: EventCallbackUrl "" means "callbacks off" (§3.1, §3.5). What is
 * checked (no DNS resolution): http/https scheme, a host, no explicit port (not even :80), no credentials, and not
 * `localhost` or a literal private/loopback/link-local/CGNAT/unspecified IPv4 or IPv6 (incl. IPv4-mapped) address.
 */
export function callbackUrlField(opts: { allowEmpty: boolean }) {
  return z.string({ error: typeError("a string") }).superRefine((value, ctx) => {
    if (value === "" && opts.allowEmpty) return;
    const problem = value === "" ? "must not be empty" : callbackUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** §3.1/§3.4: AuditType 0 none, 1 built-in, 2 custom (needs AuditUrl). */
export function auditTypeField() {
  return intEnum({ 0: "no moderation", 1: "built-in moderation", 2: "custom moderation" });
}
export const AUDIT_TYPE_CUSTOM = 2;

/** §2.4 MsgLifeCycle. */
export function msgLifeCycleField() {
  return intEnum({ 0: "30 days", 1: "90 days", 2: "180 days" });
}

/** Sort by time (§3.3, §5.6, §5.7, §6.1, §7.3). */
export function sortTypeField() {
  return intEnum({ 1: "ascending", 2: "descending" });
}

/** §5.6/§5.7 GroupStatus. */
export function groupStatusField() {
  return intEnum({ 0: "all groups", 1: "existing groups", 2: "deleted groups" });
}

/**
 * Cross-field rule shared by CreateLiveMessageApp and ModifyLiveMessageAppAudit (§3.1, §3.4): AuditUrl is required
 * when AuditType=2 (an empty AuditUrl counts as missing; with other types "" is accepted as "none"). Use inside an
 * object-level `superRefine`; tolerant of values that already failed field checks.
 */
export function requireAuditUrlForCustomAudit(
  value: { AuditType?: unknown; AuditUrl?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (value.AuditType === AUDIT_TYPE_CUSTOM && (value.AuditUrl === undefined || value.AuditUrl === "")) {
    ctx.addIssue({ code: "custom", path: ["AuditUrl"], message: "is required when AuditType is 2 (custom moderation)" });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Request / response objects

/** The request object: strict (unknown parameters are a bug), messages that name the unknown keys. */
function requestObject<S extends z.core.$ZodLooseShape>(shape: S) {
  const allowed = Object.keys(shape).sort();
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        return `unknown parameter${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (allowed: ${allowed.join(", ")})`;
      }
      if (issue.code === "invalid_type") return `parameters must be an object (got ${describeType(issue.input)})`;
      return undefined;
    },
  });
}

/** Request of an app-scoped operation: `AppId` (required) and `DataCenter` (optional) plus `shape`. */
export function appRequest<S extends z.core.$ZodLooseShape>(shape: S) {
  return requestObject({ AppId: appIdField(), DataCenter: dataCenterField().optional(), ...shape });
}

/** Request of an account-scoped operation (CreateLiveMessageApp, ListLiveMessageApps): `DataCenter` plus `shape`. */
export function accountRequest<S extends z.core.$ZodLooseShape>(shape: S) {
  return requestObject({ DataCenter: dataCenterField().optional(), ...shape });
}

/** Response fields: liberal about extra fields (looseObject), strict about the types of documented ones. */
export const int64 = () => z.number().int();
export const str = () => z.string();
export const bool = () => z.boolean();
export const strList = () => z.array(z.string());

/** A success body: `RequestId` plus `shape`, unknown extra fields kept. */
export function apiResponse<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.looseObject({ RequestId: z.string(), ...shape });
}

/** Item shape of ListLiveMessageGroups / ListLiveMessageGroupByPage (§5.6, §5.7). */
export const GroupListItem = z.looseObject({
  GroupId: z.string(),
  GroupName: str().optional(),
  GroupInfo: str().optional(),
  CreatorId: str().optional(),
  AdminList: strList().optional(),
  Createtime: int64().optional(),
  Delete: bool().optional(),
});
export type GroupListItem = z.output<typeof GroupListItem>;
