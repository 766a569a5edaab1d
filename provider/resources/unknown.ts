/**
 * Values that are not known yet during `pulumi preview` reach a dynamic provider as this sentinel string
 * (`pulumi.runtime.unknownValue`). Rule 5 of DESIGN.md: never validate them, and treat an unknown
 * replace-forcing input as a replacement.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True if the value is, or contains (in an array or object), an unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
