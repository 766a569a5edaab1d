/**
 * Helpers for the plain property bags a dynamic provider receives and returns. Pulumi rejects results that
 * contain `undefined` ("Unexpected struct type"), so every result goes through `defined()`.
 */

export type PropertyBag = Record<string, unknown>;

/** A deep copy without `undefined` values (array holes become null). */
export function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : defined(v))) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = defined(v);
    return out as T;
  }
  return value;
}

/** Deep structural equality for JSON-like values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as PropertyBag).filter((k) => (a as PropertyBag)[k] !== undefined);
    const kb = Object.keys(b as PropertyBag).filter((k) => (b as PropertyBag)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as PropertyBag)[k], (b as PropertyBag)[k]));
  }
  return false;
}
