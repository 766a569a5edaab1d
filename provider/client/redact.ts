/**
 * Scrubbing of secrets from text we did not write (server error messages, proxy error pages, transport messages).
 * A V1 `SignatureDoesNotMatch` message echoes the server's string-to-sign, which contains our `SecurityToken`
 * percent-encoded twice (spec §10.1); proxies may echo the request URL (V1 `Signature=`, `SecurityToken=`).
 */
import { percentEncode } from "./signature";

export const REDACTED = "[REDACTED]";

/** Every spelling of `secret` that can appear in a URL, a string-to-sign or a canonical request. */
function spellings(secret: string): string[] {
  const once = percentEncode(secret);
  const forms = new Set([secret, once, percentEncode(once), encodeURIComponent(secret), once.replace(/%20/g, "+")]);
  // Longest first, so that a longer spelling is not half-replaced through a shorter one it contains.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every spelling of each non-empty secret in `text` with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of spellings(secret)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/**
 * A copy of a foreign error fit to travel as `cause`: name, code, message and stack with secrets scrubbed.
 * The original may carry anything its library put there; `util.inspect` would print all of it.
 */
export function sanitizedCause(err: unknown, secrets: readonly (string | undefined)[]): Error & { code?: string } {
  // Duck-typed rather than `instanceof Error`: errors from another realm (a vm context, a worker) are errors too.
  const source = (typeof err === "object" && err !== null ? err : {}) as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown };
  const name = typeof source.name === "string" ? source.name : "Error";
  const message = typeof source.message === "string" ? source.message : String(err);
  const copy: Error & { code?: string } = new Error(redactSecrets(message, secrets));
  copy.name = name;
  copy.stack = redactSecrets(typeof source.stack === "string" ? source.stack : `${name}: ${message}`, secrets);
  if (typeof source.code === "string") copy.code = source.code;
  return copy;
}
