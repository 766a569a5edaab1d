import * as rpc from "@pulumi/pulumi/runtime/rpc";
import {
  annotateSecrets,
  applyAdditionalSecretOutputs,
  changedKeys,
  clean,
  containsUnknowns,
  decryptSecrets,
  deepEqual,
  deriveSecretsKey,
  encryptSecrets,
  isSecret,
  secret,
  SECRET_SIG,
  SIG_KEY,
  stripSecrets,
  toOutputValues,
  UNKNOWN,
  type PropertyMap,
} from "./wire";

describe("wire constants", () => {
  it("match the ones @pulumi/pulumi puts on the wire", () => {
    expect(SIG_KEY).toBe(rpc.specialSigKey);
    expect(SECRET_SIG).toBe(rpc.specialSecretSig);
    expect(UNKNOWN).toBe(rpc.unknownValue);
  });
});

describe("stripSecrets / clean", () => {
  it("removes nested secret wrappers, including secrets inside secrets", () => {
    const v = { a: secret("x"), b: [1, secret({ c: secret(2) })], d: { e: "plain" } };
    expect(stripSecrets(v)).toEqual({ a: "x", b: [1, { c: 2 }], d: { e: "plain" } });
  });

  it("drops undefined members and turns undefined array items into null", () => {
    expect(clean({ a: undefined, b: [1, undefined], c: { d: undefined, e: null } })).toEqual({ b: [1, null], c: { e: null } });
  });

  it("refuses values that cannot travel as JSON", () => {
    expect(() => clean({ f: () => 1 })).toThrow(/cannot be sent/);
  });
});

describe("annotateSecrets (the engine's re-marking for providers without secret support)", () => {
  it("marks an output secret when the same-named input was or contained a secret", () => {
    const outs: PropertyMap = { label: "s", list: [1, 2], plain: "p", computed: 3 };
    annotateSecrets(outs, { label: secret("s"), list: [1, secret(2)], plain: "p" });
    expect(outs).toEqual({ label: secret("s"), list: secret([1, 2]), plain: "p", computed: 3 });
  });

  it("walks into objects instead of wrapping them whole", () => {
    const outs: PropertyMap = { obj: { key: "k", other: "o" } };
    annotateSecrets(outs, { obj: { key: secret("k") } });
    expect(outs).toEqual({ obj: { key: secret("k"), other: "o" } });
  });

  it("leaves outputs without a matching input and already-secret outputs alone", () => {
    const outs: PropertyMap = { a: secret("x") };
    annotateSecrets(outs, { a: secret("x"), missing: secret("y") });
    expect(outs).toEqual({ a: secret("x") });
    expect(annotateSecrets({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

describe("applyAdditionalSecretOutputs", () => {
  it("wraps the named outputs once, never `id`, and ignores absent names", () => {
    const outs: PropertyMap = { id: "i", key: "k", sealed: secret("s") };
    applyAdditionalSecretOutputs(outs, ["id", "key", "sealed", "absent"]);
    expect(outs).toEqual({ id: "i", key: secret("k"), sealed: secret("s") });
  });
});

describe("comparisons", () => {
  it("deepEqual treats secret-ness as part of the value", () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: "x" }, { a: secret("x") })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it("changedKeys lists differing top-level keys and ignores __provider", () => {
    expect(changedKeys({ a: 1, b: 2, __provider: "p1" }, { a: 1, b: 3, c: 4, __provider: "p2" })).toEqual(["b", "c"]);
  });

  it("finds unknowns anywhere", () => {
    expect(containsUnknowns({ a: [{ b: UNKNOWN }] })).toBe(true);
    expect(containsUnknowns({ a: "known" })).toBe(false);
  });
});

describe("secrets at rest", () => {
  it("encrypts every secret so the plain value is not in the text, and decrypts back", () => {
    const key = deriveSecretsKey();
    const state = { token: secret("hunter2-very-secret"), nested: { list: [secret({ k: "inner-secret" })] }, plain: "visible" };
    const sealed = encryptSecrets(state, key);
    const text = JSON.stringify(sealed);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("inner-secret");
    expect(text).toContain("visible");
    expect(isSecret(sealed)).toBe(false);
    expect(decryptSecrets(sealed, key)).toEqual(state);
  });

  it("fails to decrypt with another key; a passphrase gives a stable key", () => {
    const sealed = encryptSecrets({ s: secret("x") }, deriveSecretsKey("one"));
    expect(() => decryptSecrets(sealed, deriveSecretsKey("two"))).toThrow();
    expect(decryptSecrets(sealed, deriveSecretsKey("one"))).toEqual({ s: secret("x") });
  });
});

describe("toOutputValues", () => {
  it("reports plain values and whether they were secret, like the Automation API", () => {
    expect(toOutputValues({ a: 1, b: secret("s"), c: { d: secret(2) } })).toEqual({
      a: { value: 1, secret: false },
      b: { value: "s", secret: true },
      c: { value: { d: 2 }, secret: true },
    });
  });
});
