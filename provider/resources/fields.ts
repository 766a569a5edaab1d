/**
 * The vocabulary in which each resource declares its fields ONCE — type, documentation, default, what a change does,
 * secret, validation — in `provider/resources/<kind>/schema.ts`. Everything else follows from that one declaration (STYLE.md,
 * pulumi-command's `provider:"replaceOnChanges,secret"` tags): the package schema (`scripts/generate-schema.ts`), the
 * handlers' validation and replace/update lists, the native provider's secrets, previews and stable outputs, and the
 * reference documentation.
 */
import type { z } from "zod";
import type { FieldRules } from "./validate";

/** A named enumeration: a type of the package (`livemessage:index:<name>`). */
export interface EnumSpec {
  readonly name: string;
  readonly doc: string;
  readonly type: "string" | "integer";
  readonly values: readonly { readonly name: string; readonly value: string | number; readonly doc: string }[];
}

/** A named object type of the package (`livemessage:index:<name>`), e.g. a function's list items. */
export interface ObjectSpec {
  readonly name: string;
  readonly doc: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

export type FieldType =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | { readonly enum: EnumSpec }
  | { readonly array: FieldType }
  | { readonly map: FieldType }
  | { readonly object: ObjectSpec };

/** What `check` fills in when an input is omitted. */
export type FieldDefault =
  | { readonly value: string | number | boolean | readonly string[] }
  /** `livemessage:region`, else the API's default data center. */
  | { readonly region: true }
  /** Computed by the provider (from the resource name, the content, …): the text says how. */
  | { readonly computed: string };

export interface FieldSpec {
  readonly type: FieldType;
  /** Markdown; the first sentence stands alone (it is what IDEs show). */
  readonly doc: string;
  /** An input (required or optional); absent for outputs the service computes. */
  readonly input?: "required" | "optional";
  /** What a change of this input does: replace the resource, or update it in place. */
  readonly change?: "replace" | "update";
  readonly default?: FieldDefault;
  /** Stored and shown as a secret. */
  readonly secret?: boolean;
  /** A computed output an in-place update never changes (kept known in the preview of an update). */
  readonly stable?: boolean;
  /** A counter the service refreshes: updated by refresh, never a difference. */
  readonly counter?: boolean;
  /** A list compared as a set: another order is no change. */
  readonly unordered?: boolean;
  /** The output may be absent (every other output is always present). */
  readonly maybeAbsent?: boolean;
  /** The input's validation in `check` (inputs only). */
  readonly rule?: z.ZodType;
}

export interface ExampleSpec {
  readonly title: string;
  readonly typescript: string;
  readonly python: string;
  readonly go: string;
  readonly yaml: string;
}

export interface ResourceSpec {
  /** The resource's name in the package: token `livemessage:index:<name>`. */
  readonly name: string;
  readonly doc: string;
  /** The resource id's format, for import (`pulumi import livemessage:index:<name> <name> <id>`). */
  readonly idFormat: string;
  readonly examples: readonly ExampleSpec[];
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

export interface FunctionSpec {
  readonly name: string;
  readonly doc: string;
  readonly args: Readonly<Record<string, FieldSpec>>;
  readonly result: Readonly<Record<string, FieldSpec>>;
  readonly examples: readonly ExampleSpec[];
}

/** A provider configuration key (`livemessage:<key>`, or an argument of an explicit `Provider`). */
export interface ConfigSpec {
  readonly type: "string" | "boolean" | "integer" | { readonly enum: EnumSpec };
  readonly doc: string;
  readonly secret?: boolean;
  /** Environment variables read when the key is not set (first set one wins). */
  readonly env?: readonly string[];
  readonly default?: string | boolean | number;
}

/** The declared field names of a resource, as a union type (for typed field lists). */
export type FieldName<S extends ResourceSpec> = keyof S["fields"] & string;

/** `true` when A and B have the same keys: ties a handler's state type to its declaration at compile time. */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;

function names<S extends ResourceSpec>(spec: S, keep: (f: FieldSpec) => boolean): FieldName<S>[] {
  return Object.entries(spec.fields)
    .filter(([, f]) => keep(f))
    .map(([k]) => k as FieldName<S>);
}

export function inputNames<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => Boolean(f.input));
}
export function requiredInputs<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => f.input === "required");
}
export function replaceNames<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => Boolean(f.input) && f.change === "replace");
}
export function updateNames<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => Boolean(f.input) && f.change !== "replace");
}
export function secretNames<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => Boolean(f.secret));
}
export function computedNames<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => !f.input);
}
export function stableNames<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => !f.input && Boolean(f.stable));
}
export function unorderedNames<S extends ResourceSpec>(spec: S): FieldName<S>[] {
  return names(spec, (f) => Boolean(f.unordered));
}

/** The validation rules of the inputs, for `validateFields`. */
export function inputRules(spec: ResourceSpec, internal?: readonly string[]): FieldRules {
  const fields: Record<string, z.ZodType> = {};
  for (const [k, f] of Object.entries(spec.fields)) {
    if (!f.input) continue;
    if (!f.rule) throw new Error(`${spec.name}.${k}: an input needs a rule`);
    fields[k] = f.rule;
  }
  return { fields, required: requiredInputs(spec), ...(internal ? { internal } : {}) };
}

/** The literal defaults (and the data-center default of `region`) of the inputs. */
export function inputDefaults(spec: ResourceSpec, region: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(spec.fields)) {
    if (!f.input || !f.default) continue;
    if ("value" in f.default) out[k] = f.default.value;
    else if ("region" in f.default) out[k] = region;
  }
  return out;
}
