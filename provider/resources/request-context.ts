/**
 * What the engine tells a native provider about the request being served, for code deep inside a handler that has
 * no parameter for it: the resource's URN (log lines are attributed to it) and the `randomSeed` of `Check`.
 *
 * The engine sends a random seed with every Check and keeps it for the whole deployment — and, when the update
 * runs with the preview's plan, the same one as that preview — so a value generated from it is the same in the
 * preview and the update, while a replacement (checked again without old inputs) still gets a fresh value because
 * the old value came from an earlier deployment's seed. The dynamic provider has no seed: there, values are random.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac, randomInt } from "node:crypto";

export interface RequestContext {
  readonly urn?: string;
  readonly randomSeed?: Uint8Array;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(context, fn);
}

export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * `length` characters of `alphabet`: drawn from the request's random seed when there is one (deterministic for the
 * seed and `purpose`), else from the system's random source. Unbiased: bytes beyond the last whole multiple of the
 * alphabet's size are skipped.
 */
export function randomChars(length: number, alphabet: string, purpose: string): string {
  const seed = requestContext()?.randomSeed;
  if (!seed || seed.length === 0) {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
  }
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  for (let block = 0; out.length < length; block++) {
    const bytes = createHmac("sha256", Buffer.from(seed)).update(`${purpose}\u0000${block}`).digest();
    for (const b of bytes) {
      if (b >= limit) continue;
      out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
