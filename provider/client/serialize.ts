/**
 * Wire form of business parameters (spec §2.1/§2.2): arrays comma-joined ("simple" style), numbers and booleans
 * as decimal strings / `true` / `false`, `undefined`/`null` omitted, empty strings kept.
 */
import type { ApiParams } from "./call-options";
import { LiveValidationError } from "./errors";

/** Query parameters the client sets itself (V1 common parameters, spec §2.1); callers may not pass them. */
const RESERVED_PARAMS: ReadonlySet<string> = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "Signature",
  "SecurityToken",
]);

/** The query parameters of one call; throws `LiveValidationError` listing every parameter that cannot be sent. */
export function serializeParams(action: string, params: ApiParams | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: { path: string; message: string }[] = [];
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null) continue;
    if (RESERVED_PARAMS.has(name)) {
      issues.push({ path: name, message: "is a protocol parameter set by the client itself" });
      continue;
    }
    if (typeof value === "string") out[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") {
      const s = scalarToWire(value);
      if (s === undefined) issues.push({ path: name, message: "must be a finite number" });
      else out[name] = s;
    } else if (Array.isArray(value)) {
      const items: string[] = [];
      (value as readonly unknown[]).forEach((item, i) => {
        const s = typeof item === "string" ? item : typeof item === "number" ? scalarToWire(item) : undefined;
        if (s === undefined) issues.push({ path: `${name}[${i}]`, message: "must be a string or a finite number" });
        else if (s.includes(",")) issues.push({ path: `${name}[${i}]`, message: "cannot contain ',' (arrays are sent comma-joined)" });
        else items.push(s);
      });
      out[name] = items.join(",");
    } else {
      issues.push({ path: name, message: `unsupported value type ${typeof value}` });
    }
  }
  if (issues.length > 0) throw new LiveValidationError(action, issues);
  return out;
}

function scalarToWire(value: number | boolean): string | undefined {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (!Number.isFinite(value)) return undefined;
  // BigInt avoids exponent notation for large integers (1e21 → "1000000000000000000000").
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}
