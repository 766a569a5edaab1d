/**
 * Typed access to `sdk-models.json`: a copy of `shared/reference/alibaba-live-models.json`, the request and
 * response models of the 29 operations extracted from Alibaba's generated SDKs (kept in the repository so the
 * emulator's tests do not depend on a checkout beside it; a test compares the copy with the shared original).
 * Used by tests only: names, types and required flags — not behaviour.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface SdkParam {
  readonly name: string;
  readonly type: "string" | "number" | "boolean" | "array";
  readonly format?: "int32" | "int64";
  readonly required: boolean;
  readonly array: boolean;
}

export interface SdkField {
  readonly type: "string" | "number" | "boolean" | "array" | "object" | "map";
  readonly format?: string;
  readonly items?: SdkField;
  readonly fields?: Readonly<Record<string, SdkField>>;
  readonly values?: SdkField;
}

export interface SdkOperation {
  readonly method: string;
  readonly request: readonly SdkParam[];
  readonly response: SdkField;
}

export const SDK_MODELS_PATH = path.join(__dirname, "sdk-models.json");

export function loadSdkModels(): Readonly<Record<string, SdkOperation>> {
  return (JSON.parse(fs.readFileSync(SDK_MODELS_PATH, "utf8")) as { operations: Record<string, SdkOperation> }).operations;
}

/** Paths of `value` that the response model does not declare, or whose JSON type differs from the model. */
export function responseProblems(model: SdkField, value: unknown, at = "$"): string[] {
  switch (model.type) {
    case "string":
      return typeof value === "string" ? [] : [`${at}: expected string, got ${JSON.stringify(value)}`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: expected boolean, got ${JSON.stringify(value)}`];
    case "number":
      return typeof value === "number" && Number.isInteger(value) ? [] : [`${at}: expected integer, got ${JSON.stringify(value)}`];
    case "array":
      if (!Array.isArray(value)) return [`${at}: expected array`];
      return value.flatMap((v, i) => (model.items ? responseProblems(model.items, v, `${at}[${i}]`) : []));
    case "map":
      if (!value || typeof value !== "object" || Array.isArray(value)) return [`${at}: expected object (map)`];
      return Object.entries(value).flatMap(([k, v]) => (model.values ? responseProblems(model.values, v, `${at}.${k}`) : []));
    case "object": {
      if (!value || typeof value !== "object" || Array.isArray(value)) return [`${at}: expected object`];
      const fields = model.fields ?? {};
      return Object.entries(value).flatMap(([k, v]) =>
        fields[k] ? responseProblems(fields[k], v, `${at}.${k}`) : [`${at}.${k}: not in the SDK's response model`],
      );
    }
  }
}
