/**
 * Property values as the engine sends them to a provider that accepts secrets: JSON-like values in which a secret
 * is the object `{ [SIG_KEY]: SECRET_SIG, value }` and a value unknown during preview is the `UNKNOWN` string.
 *
 * The handlers work on plain values, so secrets are unwrapped on the way in (remembering which top-level properties
 * held one) and put back on the way out — the same rule the engine applies for providers that do not accept secrets
 * (an output is secret when its same-named input was), plus the outputs a resource declares secret.
 */
import type { PropertyBag } from "../provider/resources/property-bag";
import { UNKNOWN } from "../provider/resources/unknown";

export { UNKNOWN };

/** The key that marks a special value (secret, resource reference, asset) on the wire. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** `SIG_KEY` value of a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface Secret {
  [SIG_KEY]: typeof SECRET_SIG;
  value: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isSecret(v: unknown): v is Secret {
  return isPlainObject(v) && v[SIG_KEY] === SECRET_SIG;
}

export function secret(value: unknown): Secret {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** The value without any secret wrapper, at any depth. */
export function reveal(v: unknown): unknown {
  if (isSecret(v)) return reveal(v.value);
  if (Array.isArray(v)) return v.map(reveal);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = reveal(x);
    return out;
  }
  return v;
}

export function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (isPlainObject(v)) return Object.values(v).some(containsSecret);
  return false;
}

/** A property bag without secret wrappers, and the names of its top-level properties that held a secret. */
export interface Unwrapped {
  bag: PropertyBag;
  secretKeys: Set<string>;
}

export function unwrap(bag: PropertyBag | undefined): Unwrapped {
  const secretKeys = new Set<string>();
  const out: PropertyBag = {};
  for (const [k, v] of Object.entries(bag ?? {})) {
    if (containsSecret(v)) secretKeys.add(k);
    out[k] = reveal(v);
  }
  return { bag: out, secretKeys };
}

/**
 * Marks the named top-level properties secret. Unknown values stay unknown: the engine reads a secret unknown as
 * "unknown", and a preview shows nothing for either.
 */
export function withSecrets(bag: PropertyBag, keys: Iterable<string>): PropertyBag {
  const out: PropertyBag = { ...bag };
  for (const k of keys) {
    if (k in out && out[k] !== undefined && out[k] !== null && out[k] !== UNKNOWN) out[k] = secret(out[k]);
  }
  return out;
}
