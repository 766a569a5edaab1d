import { SECRET_SIG, SIG_KEY, UNKNOWN, containsSecret, reveal, secret, unwrap, withSecrets } from "./wire";

const s = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

it("unwraps secrets at any depth and remembers the top-level properties that held one", () => {
  const r = unwrap({ a: s("x"), b: { c: [1, s(2)] }, d: "plain", e: UNKNOWN });
  expect(r.bag).toEqual({ a: "x", b: { c: [1, 2] }, d: "plain", e: UNKNOWN });
  expect([...r.secretKeys].sort()).toEqual(["a", "b"]);
  expect(containsSecret(r.bag)).toBe(false);
});

it("marks the named properties secret, once, and leaves absent, null and unknown values alone", () => {
  const out = withSecrets({ a: "x", b: s("y"), c: null, d: UNKNOWN }, ["a", "b", "c", "d", "missing"]);
  expect(out).toEqual({ a: s("x"), b: s("y"), c: null, d: UNKNOWN });
  expect(secret(secret(1))).toEqual(s(1));
  expect(reveal([s({ k: s("v") })])).toEqual([{ k: "v" }]);
});
