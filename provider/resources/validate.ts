/**
 * Field-by-field validation for `check`: every documented limit becomes a `CheckFailure` on the property path
 * (DESIGN.md rule 5), so `pulumi preview` reports bad input before any API call. Values that are unknown during
 * preview are skipped, never guessed.
 */
import { z } from "zod";
import { issuePath } from "../operations/define";
import { ID_PATTERN, MAX_ID_BYTES, callbackUrlProblem, utf8Bytes } from "../limits";
import { containsUnknown } from "./unknown";
import type { PropertyBag } from "./property-bag";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

export interface FieldRules {
  /** One schema per accepted property. */
  readonly fields: Readonly<Record<string, z.ZodType>>;
  /** Properties that must be present. */
  readonly required?: readonly string[];
  /** Properties the provider adds itself (never reported as unknown). */
  readonly internal?: readonly string[];
}

/** Validates each known (non-unknown) property with its schema; reports missing and unexpected properties. */
export function validateFields(bag: PropertyBag, rules: FieldRules): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const name of rules.required ?? []) {
    if (bag[name] === undefined || bag[name] === null) failures.push({ property: name, reason: `${name} is required.` });
  }
  for (const [name, value] of Object.entries(bag)) {
    if (value === undefined || value === null || name === "__provider" || rules.internal?.includes(name)) continue;
    const schema = rules.fields[name];
    if (!schema) {
      failures.push({
        property: name,
        reason: `unknown property "${name}"; the accepted properties are ${Object.keys(rules.fields).join(", ")}.`,
      });
      continue;
    }
    if (containsUnknown(value)) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const suffix = issuePath(issue.path);
        const property = suffix ? `${name}${suffix.startsWith("[") ? "" : "."}${suffix}` : name;
        failures.push({ property, reason: issue.message });
      }
    }
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------------------------
// Field schemas shared by the resources (messages say what is wrong and what is allowed).
// ---------------------------------------------------------------------------------------------------------------

/** GroupId, user IDs, MsgTid (spec §2.4): letters and digits only, at most 64 bytes. */
export const idField = (what: string) =>
  z.string({ error: `${what} must be a string of letters and digits.` }).superRefine((s, ctx) => {
    if (s.length === 0) ctx.addIssue({ code: "custom", message: `${what} must not be empty.` });
    else if (!ID_PATTERN.test(s))
      ctx.addIssue({ code: "custom", message: `${what} must contain only letters and digits (A-Z, a-z, 0-9); got ${JSON.stringify(s)}.` });
    else if (utf8Bytes(s) > MAX_ID_BYTES)
      ctx.addIssue({ code: "custom", message: `${what} must be at most ${MAX_ID_BYTES} bytes; got ${utf8Bytes(s)} bytes.` });
  });

/** A string limited in UTF-8 bytes (the API counts bytes, so multibyte characters count more than once). */
export const bytesField = (what: string, maxBytes: number, opts?: { minChars?: number; maxChars?: number }) =>
  z.string({ error: `${what} must be a string.` }).superRefine((s, ctx) => {
    if (opts?.minChars !== undefined && [...s].length < opts.minChars)
      ctx.addIssue({ code: "custom", message: `${what} must be at least ${opts.minChars} characters; got ${[...s].length}.` });
    if (opts?.maxChars !== undefined && [...s].length > opts.maxChars)
      ctx.addIssue({ code: "custom", message: `${what} must be at most ${opts.maxChars} characters; got ${[...s].length}.` });
    if (utf8Bytes(s) > maxBytes)
      ctx.addIssue({ code: "custom", message: `${what} must be at most ${maxBytes} bytes (UTF-8); got ${utf8Bytes(s)} bytes.` });
  });

/** One of a fixed set of values. */
export const enumField = <T extends string | number>(what: string, values: readonly T[]) =>
  z.custom<T>((v) => (values as readonly unknown[]).includes(v), {
    message: `${what} must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}.`,
  });

export const boolField = (what: string) => z.boolean({ error: `${what} must be true or false.` });

/** An integer in a range. */
export const intField = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number.` })
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, {
      message: `${what} must be a whole number from ${min} to ${max}.`,
    });

/** A list of IDs with a maximum count and no duplicates. */
export const idListField = (what: string, maxItems: number) =>
  z
    .array(idField(`each ${what} entry`), { error: `${what} must be a list of IDs.` })
    .superRefine((xs, ctx) => {
      if (xs.length > maxItems) ctx.addIssue({ code: "custom", message: `${what} may list at most ${maxItems} IDs; got ${xs.length}.` });
      const dup = xs.find((x, i) => xs.indexOf(x) !== i);
      if (dup !== undefined) ctx.addIssue({ code: "custom", message: `${what} lists ${JSON.stringify(dup)} more than once.` });
    });

/** AuditUrl / EventCallbackUrl (spec §3.1); the empty string means "off" where `allowEmpty`. */
export const callbackUrlField = (what: string, opts?: { allowEmpty?: boolean }) =>
  z.string({ error: `${what} must be a string URL.` }).superRefine((s, ctx) => {
    if (s === "" && opts?.allowEmpty) return;
    const problem = callbackUrlProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: `${what} ${problem}; got ${JSON.stringify(s)}.` });
  });
