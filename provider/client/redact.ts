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
