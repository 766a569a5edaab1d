/**
 * Small deterministic PRNG (mulberry32). The emulator draws every random value — generated IDs, AppKeys, fault
 * decisions — from seeded generators so that runs are reproducible from `seed` and a write-ahead-log replay draws
 * exactly the numbers the original call drew.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit unsigned integer from a generator (for deriving per-call seeds). */
export function nextSeed(random: () => number): number {
  return Math.floor(random() * 4294967296) >>> 0;
}

/** `length` characters from `alphabet`, drawn from `random`. */
export function randomString(random: () => number, length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
  let s = "";
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}
