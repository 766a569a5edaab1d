/**
 * Field-by-field validation for `check`: every documented limit becomes a `CheckFailure` on the property path
 * (DESIGN.md rule 5), so `pulumi preview` reports bad input before any API call. Values that are unknown during
 * preview are skipped, never guessed.
 */
import { z } from "zod";
import { issuePath } from "../operations/define";
import { idListField, idProblem } from "../operations/common";
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

/** An ID that may also be empty (= not set), e.g. creatorId. */
export function optionalIdField() {
  return z.string({ error: "must be a string" }).superRefine((value, ctx) => {
    const problem = value === "" ? undefined : idProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** A list of IDs with at most `max` entries and no duplicates. */
export function uniqueIdListField(max: number) {
  return idListField({ min: 0, max }).superRefine((xs, ctx) => {
    const dup = xs.find((x, i) => xs.indexOf(x) !== i);
    if (dup !== undefined) ctx.addIssue({ code: "custom", message: `lists ${JSON.stringify(dup)} more than once` });
  });
}
