import { randomChars, runWithRequestContext } from "./request-context";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

it("draws from the request's seed: the same seed and purpose give the same characters", async () => {
  const seed = new Uint8Array(32).fill(3);
  const a = await runWithRequestContext({ randomSeed: seed }, async () => randomChars(8, ALPHABET, "groupId"));
  const b = await runWithRequestContext({ randomSeed: seed }, async () => randomChars(8, ALPHABET, "groupId"));
  const other = await runWithRequestContext({ randomSeed: seed }, async () => randomChars(8, ALPHABET, "msgTid"));
  expect(a).toMatch(/^[a-z0-9]{8}$/);
  expect(b).toBe(a);
  expect(other).not.toBe(a);
});

it("is random without a seed, and long outputs draw more blocks", async () => {
  expect(randomChars(8, ALPHABET, "x")).not.toBe(randomChars(8, ALPHABET, "x"));
  const long = await runWithRequestContext({ randomSeed: new Uint8Array([1]) }, async () => randomChars(100, ALPHABET, "x"));
  expect(long).toMatch(/^[a-z0-9]{100}$/);
});

it("covers the whole alphabet evenly enough (no modulo bias)", async () => {
  const counts = new Map<string, number>();
  for (let i = 0; i < 200; i++) {
    const chars = await runWithRequestContext({ randomSeed: new Uint8Array([i, i >> 8]) }, async () => randomChars(36, ALPHABET, "x"));
    for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  expect(counts.size).toBe(36);
  for (const n of counts.values()) expect(n).toBeGreaterThan(120); // 200 per character expected
});
