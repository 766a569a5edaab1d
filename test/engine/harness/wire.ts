// Pulumi's property wire format (what travels inside google.protobuf.Struct between engine, program and
// provider) and the engine-side transformations the harness applies to it.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "crypto";

/** The key that marks a special object (secret, asset, resource reference) on the wire. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** `SIG_KEY` value of a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The string that stands for an unknown value (preview only). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The name of the input that carries a dynamic resource's serialized provider. */
export const PROVIDER_KEY = "__provider";

/** A JSON-like property value as it appears on the wire. */
export type PropertyValue = null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue };
/** A property map (a resource's inputs or outputs) on the wire. */
export type PropertyMap = { [key: string]: PropertyValue };

export interface SecretValue {
  [SIG_KEY]: typeof SECRET_SIG;
  value: PropertyValue;
}

/** The shape a secret takes in an exported state: the value is encrypted, as in a Pulumi checkpoint. */
export interface EncryptedSecret {
  [SIG_KEY]: typeof SECRET_SIG;
  ciphertext: string;
}

const isPlainObject = (v: unknown): v is { [key: string]: PropertyValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function isSecret(v: unknown): v is SecretValue {
  return isPlainObject(v) && v[SIG_KEY] === SECRET_SIG && "value" in v;
}

export function secret(value: PropertyValue): PropertyValue {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

function mapChildren(v: PropertyValue, f: (x: PropertyValue) => PropertyValue): PropertyValue {
  if (Array.isArray(v)) return v.map(f);
  if (isPlainObject(v)) {
    const out: PropertyMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = f(x);
    return out;
  }
  return v;
}

/** Removes every secret wrapper (what the engine sends to a provider that answered acceptSecrets=false). */
export function stripSecrets(v: PropertyValue): PropertyValue {
  if (isSecret(v)) return stripSecrets(v.value);
  return mapChildren(v, stripSecrets);
}

export function stripSecretsMap(m: PropertyMap): PropertyMap {
  return stripSecrets(m) as PropertyMap;
}

export function containsSecrets(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecrets);
  if (isPlainObject(v)) return Object.values(v).some(containsSecrets);
  return false;
}

export function containsUnknowns(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknowns);
  if (isPlainObject(v)) return Object.values(v).some(containsUnknowns);
  return false;
}

/**
 * Converts an arbitrary JS value to the wire shape: drops `undefined` object members (Struct.fromJavaScript
 * rejects them with "Unexpected struct type"), turns `undefined` array items into null.
 */
export function clean(v: unknown): PropertyValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : clean(x)));
  if (typeof v === "object") {
    const out: PropertyMap = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = clean(x);
    return out;
  }
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  throw new TypeError(`value of type ${typeof v} cannot be sent on the wire`);
}

export function cleanMap(v: unknown): PropertyMap {
  const c = clean(v ?? {});
  return isPlainObject(c) ? c : {};
}

/**
 * Port of the engine's `annotateSecrets(outs, ins)`: when a provider cannot accept secrets, any output whose
 * same-named input contained a secret is re-marked secret (objects are walked recursively). Mutates and
 * returns `outs`.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap | undefined): PropertyMap {
  if (!ins) return outs;
  for (const [k, inV] of Object.entries(ins)) {
    if (!(k in outs)) continue;
    const outV = outs[k];
    if (isPlainObject(outV) && !isSecret(outV) && isPlainObject(inV) && !isSecret(inV)) {
      annotateSecrets(outV, inV);
    } else if (!isSecret(outV) && containsSecrets(inV)) {
      outs[k] = secret(outV);
    }
  }
  return outs;
}

/** The engine's treatment of `additionalSecretOutputs` (step executor): named outputs become secret. */
export function applyAdditionalSecretOutputs(outs: PropertyMap, names: readonly string[] | undefined): PropertyMap {
  for (const k of names ?? []) {
    if (k === "id") continue; // the engine refuses to make `id` secret (pulumi/pulumi#2717)
    if (k in outs && !isSecret(outs[k])) outs[k] = secret(outs[k]);
  }
  return outs;
}

/** Deep structural equality of wire values (secret-ness is part of the value, as in the engine). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Top-level keys whose values differ between two maps (ignoring `__provider`, which the engine never shows). */
export function changedKeys(olds: PropertyMap, news: PropertyMap): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  keys.delete(PROVIDER_KEY);
  return [...keys].filter((k) => !deepEqual(olds[k], news[k])).sort();
}

/** Deep copy of a wire value (wire values are JSON). */
export function copy<T extends PropertyValue | PropertyMap>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

// ---- secrets at rest ---------------------------------------------------------------------------------------
// Like a Pulumi checkpoint, the exported state keeps secrets as ciphertext, so "the state never contains X in
// plain text" can be asserted with a plain substring search. AES-256-GCM with a per-stack key; the format is
// base64(iv | tag | ciphertext of JSON(value)).

export function deriveSecretsKey(passphrase?: string): Buffer {
  return passphrase === undefined ? randomBytes(32) : createHash("sha256").update(`harness:${passphrase}`).digest();
}

export function encryptSecrets(v: PropertyValue, key: Buffer): PropertyValue {
  if (isSecret(v)) {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const ct = Buffer.concat([cipher.update(JSON.stringify(v.value), "utf8"), cipher.final()]);
    const sealed: EncryptedSecret = {
      [SIG_KEY]: SECRET_SIG,
      ciphertext: Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64"),
    };
    return sealed as unknown as PropertyValue;
  }
  return mapChildren(v, (x) => encryptSecrets(x, key));
}

export function decryptSecrets(v: PropertyValue, key: Buffer): PropertyValue {
  if (isPlainObject(v) && v[SIG_KEY] === SECRET_SIG && typeof v.ciphertext === "string") {
    const raw = Buffer.from(v.ciphertext, "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    return { [SIG_KEY]: SECRET_SIG, value: JSON.parse(plain) as PropertyValue };
  }
  return mapChildren(v, (x) => decryptSecrets(x, key));
}

/** A stack output as the Automation API reports it: the plain value plus whether it was secret. */
export interface OutputValue {
  value: PropertyValue;
  secret: boolean;
}

export function toOutputValues(outputs: PropertyMap | undefined): Record<string, OutputValue> {
  const result: Record<string, OutputValue> = {};
  for (const [k, v] of Object.entries(outputs ?? {})) result[k] = { value: stripSecrets(v), secret: containsSecrets(v) };
  return result;
}
