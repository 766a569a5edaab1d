/**
 * Support for the fast-check property tests of the resources' `check` (issue 5): value generators that know by
 * construction whether a value is valid, a runner that compares the failing properties with the expected ones, and a
 * counting endpoint that proves `check` made no API call. Values are built from precomputed pieces so that 10,000
 * runs stay fast (no regex-driven generation, no big random strings).
 */
import { resetAutonameCache } from "../../group/autoname";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { DEFAULT_CREDENTIALS } from "../../../../emulator";
import { getProviderConfig, setProviderConfig, type ProviderConfig } from "../../config";
import type { ResourceHandler } from "../../handler";
import type { PropertyBag } from "../../property-bag";
import { UNKNOWN } from "../../unknown";
import { resetQuotaState } from "../quota";

/** How one property of a generated input was made. */
export type FieldCase =
  | { readonly kind: "omit"; readonly value: undefined | null }
  | { readonly kind: "valid" | "invalid"; readonly value: unknown }
  | { readonly kind: "unknown"; readonly value: typeof UNKNOWN };

const ALNUM = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];

/** A property that may be omitted (null or absent), valid, invalid or unknown (preview). */
export function field(valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<FieldCase> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(undefined, null).map((value): FieldCase => ({ kind: "omit", value })) },
    { weight: 6, arbitrary: valid.map((value): FieldCase => ({ kind: "valid", value })) },
    { weight: 1, arbitrary: invalid.map((value): FieldCase => ({ kind: "invalid", value })) },
    { weight: 1, arbitrary: fc.constant<FieldCase>({ kind: "unknown", value: UNKNOWN }) },
  );
}

/** Values of the wrong JSON type for a field that wants `expected`. */
export function wrongType(expected: "string" | "number" | "boolean" | "array"): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.constantFrom("1", "true", "x", ""),
    number: fc.constantFrom(0, 1, -3, 2.5),
    boolean: fc.boolean(),
    array: fc.constantFrom([], ["a"], [1, 2]),
    object: fc.constantFrom({}, { a: 1 }),
  };
  return fc.oneof(...Object.entries(all).filter(([k]) => k !== expected).map(([, a]) => a));
}

// ---------------------------------------------------------------------------------------------------------------
// IDs (§2.4: letters and digits, 1–64 bytes)

export const validId = fc.oneof(
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 64 }),
  fc.constant("A".repeat(64)),
);
const BAD_ID_CHARS = [" ", "-", "_", "/", ",", ".", "é", "中", "😀", "\n", "\u0000", "+", "="];
export const invalidId = fc.oneof(
  fc.constant(""),
  fc.integer({ min: 65, max: 90 }).map((n) => "a".repeat(n)),
  fc.tuple(validId, fc.constantFrom(...BAD_ID_CHARS), fc.nat()).map(([id, bad, at]) => {
    const i = at % (id.length + 1);
    return id.slice(0, i) + bad + id.slice(i);
  }),
  wrongType("string"),
);

/** AppId (issued by the service): non-empty, no whitespace or commas, at most 64 bytes. */
export const validAppId = fc.oneof(
  fc.string({ unit: fc.constantFrom(...ALNUM, "-", "_", ".", ":", "中"), minLength: 1, maxLength: 20 }),
  fc.constant("x".repeat(64)),
  fc.constant("中".repeat(21) + "a"),
);
export const invalidAppId = fc.oneof(
  fc.constant(""),
  fc.constantFrom("a b", "a,b", "\tabc", "abc\n", "x".repeat(65), "中".repeat(22)),
  wrongType("string"),
);

// ---------------------------------------------------------------------------------------------------------------
// Strings limited in UTF-8 bytes: precomputed boundary strings (ASCII, 3-byte and 4-byte characters) plus short
// random strings that cannot reach the limit.

export function byteLimited(maxBytes: number): { valid: fc.Arbitrary<unknown>; invalid: fc.Arbitrary<unknown> } {
  const pad = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / Buffer.byteLength(unit))) + "a".repeat(bytes % Buffer.byteLength(unit));
  const atLimit = [pad("a", maxBytes), pad("中", maxBytes), pad("😀", maxBytes)];
  const over = [pad("a", maxBytes + 1), pad("中", maxBytes + 1), pad("😀", maxBytes + 1), pad("中", maxBytes) + "中"];
  return {
    valid: fc.oneof(fc.string({ unit: "binary", maxLength: Math.min(64, Math.floor(maxBytes / 4)) }), fc.constantFrom(...atLimit)),
    invalid: fc.oneof(fc.constantFrom(...over), wrongType("string")),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers, enums, booleans

export const validInt = fc.oneof(fc.integer(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER));
export const nonInteger = fc.oneof(
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }).filter((x) => !Number.isInteger(x)),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 1e300),
  wrongType("number"),
);

export function intEnum(values: readonly number[]): { valid: fc.Arbitrary<unknown>; invalid: fc.Arbitrary<unknown> } {
  return {
    valid: fc.constantFrom(...values),
    invalid: fc.oneof(fc.integer({ min: -100, max: 100 }).filter((x) => !values.includes(x)), fc.constantFrom(0.5, 1.5, "1", "0"), wrongType("number")),
  };
}

export function stringEnum(values: readonly string[]): { valid: fc.Arbitrary<unknown>; invalid: fc.Arbitrary<unknown> } {
  return {
    valid: fc.constantFrom(...values),
    invalid: fc.oneof(
      fc.string({ maxLength: 12 }).filter((s) => !values.includes(s)),
      fc.constantFrom(...values.map((v) => v.toUpperCase()), ...values.map((v) => ` ${v}`)),
      wrongType("string"),
    ),
  };
}

export const bool = { valid: fc.boolean(), invalid: fc.oneof(fc.constantFrom("true", "false", 0, 1, "yes"), wrongType("boolean")) };

/** A finite number within [min, max] (fractions allowed). */
export function range(min: number, max: number): { valid: fc.Arbitrary<unknown>; invalid: fc.Arbitrary<unknown> } {
  return {
    valid: fc.oneof(fc.double({ min, max, noNaN: true }), fc.constantFrom(min, max)),
    invalid: fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => x < min || x > max),
      fc.constantFrom(min - 1e-6, max + 1e-6, Number.NaN, Infinity, -Infinity),
      wrongType("number"),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Callback URLs (§3.1: http(s), a host, no port, no credentials, no private address)

const PUBLIC_HOSTS = ["example.com", "hooks.example.org", "a.b.example.net", "8.8.8.8", "[2001:db8::1]", "xn--bcher-kva.example"];
const PATHS = ["", "/", "/hook", "/a/b?x=1&y=2", "/cb#frag", "/%E4%B8%AD"];
const PRIVATE_HOSTS = ["10.0.0.1", "127.0.0.1", "192.168.1.5", "172.16.0.1", "172.31.255.255", "169.254.1.1", "100.64.0.1", "0.0.0.0",
  "localhost", "api.localhost", "[::1]", "[fd00::1]", "[fe80::1]", "[::ffff:10.0.0.1]"];
export const validUrl = fc.tuple(fc.constantFrom("http", "https", "HTTPS"), fc.constantFrom(...PUBLIC_HOSTS), fc.constantFrom(...PATHS)).map(([s, h, p]) => `${s}://${h}${p}`);
export const invalidUrl = fc.oneof(
  fc.tuple(fc.constantFrom("http", "https"), fc.constantFrom(...PRIVATE_HOSTS), fc.constantFrom(...PATHS)).map(([s, h, p]) => `${s}://${h}${p}`),
  fc.tuple(fc.constantFrom("http", "https"), fc.constantFrom(...PUBLIC_HOSTS), fc.constantFrom(":80", ":443", ":8080", ":")).map(([s, h, port]) => `${s}://${h}${port}/hook`),
  fc.constantFrom("https://user:pw@example.com/hook", "https://user@example.com/", "ftp://example.com/hook", "file:///etc/passwd",
    "javascript:alert(1)", "example.com/hook", "//example.com/hook", "hook", " ", "https://", "ws://example.com/"),
  wrongType("string"),
);

// ---------------------------------------------------------------------------------------------------------------
// Unexpected properties

export const EXTRA_KEYS = ["typo", "GroupId", "appname", "group_id", "msgtid", "Body", "foo"];
/** Mostly none; sometimes one unexpected property. */
export const extraKey: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 9, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(...EXTRA_KEYS) },
);

// ---------------------------------------------------------------------------------------------------------------
// Running

/** The top-level property a failure is on (`administrators[1]` → `administrators`). */
export function topLevel(property: string): string {
  return property.split(/[.[]/)[0]!;
}

/** The input bag of a generated case: omitted fields absent (undefined) or null. */
export function bagOf(cases: Record<string, FieldCase>, extra: Record<string, unknown> = {}): PropertyBag {
  const news: PropertyBag = { ...extra };
  for (const [k, c] of Object.entries(cases)) if (c.value !== undefined) news[k] = c.value;
  return news;
}

/** The properties that must fail from the per-field cases alone (required fields that are omitted, invalid ones). */
export function expectedFromFields(cases: Record<string, FieldCase>, required: readonly string[]): Set<string> {
  const bad = new Set<string>();
  for (const [k, c] of Object.entries(cases)) {
    if (c.kind === "invalid" || (c.kind === "omit" && required.includes(k))) bad.add(k);
  }
  return bad;
}

/** Runs `check` on a fresh resource and returns the failing top-level properties. */
export async function failingProperties(handler: ResourceHandler, news: PropertyBag): Promise<Set<string>> {
  const r = await handler.check({}, news);
  return new Set(r.failures.map((f) => topLevel(f.property)));
}

/** An HTTP endpoint that counts requests and refuses them all (403 NoAuth): any API call would show up here. */
export interface CountingEndpoint {
  readonly url: string;
  readonly requests: () => number;
  close(): Promise<void>;
}

export async function startCountingEndpoint(): Promise<CountingEndpoint> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ RequestId: "counting", Code: "NoAuth", Message: "this endpoint only counts requests" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Points the provider at `url` with test credentials and the given quota knob; returns a restore function. */
export function configureFor(url: string, quotaChecks: boolean): () => void {
  const before: ProviderConfig = getProviderConfig();
  setProviderConfig({ endpoint: url, accessKeyId: DEFAULT_CREDENTIALS.accessKeyId, accessKeySecret: DEFAULT_CREDENTIALS.accessKeySecret, quotaChecks });
  resetQuotaState();
  resetAutonameCache();
  return () => {
    setProviderConfig(before);
    resetQuotaState();
    resetAutonameCache();
  };
}

/** Runs per property test: 10,000 generated inputs (issue 5). */
export const PROPERTY_RUNS = 10_000;

/**
 * The two property tests every resource gets (issue 5): `runs` generated inputs through `check` — exactly the
 * expected properties fail and no API call is made — and, with the live quota checks on, invalid inputs still make
 * no call. `inspect` may add assertions on each check result.
 */
export function checkPropertySuite<C>(spec: {
  resource: string;
  handler: ResourceHandler;
  cases: fc.Arbitrary<C>;
  bag: (c: C) => PropertyBag;
  expected: (c: C) => Set<string>;
  /** Valid inputs must be at least this share of the runs (both classes well represented). */
  minValidShare: number;
  inspect?: (result: { inputs: PropertyBag; failures: { property: string }[] }, valid: boolean) => void;
  /** Valid inputs that may make a documented look-up (a generated groupId is checked against the app's groups). */
  mayLookUp?: (c: C) => boolean;
}): void {
  let endpoint: CountingEndpoint;
  beforeAll(async () => {
    endpoint = await startCountingEndpoint();
  });
  afterAll(() => endpoint.close());

  it(`rejects exactly the invalid properties of ${PROPERTY_RUNS} generated ${spec.resource} inputs, with no API call`, async () => {
    const restore = configureFor(endpoint.url, false);
    let valid = 0;
    try {
      await fc.assert(
        fc.asyncProperty(spec.cases, async (c) => {
          const want = spec.expected(c);
          if (want.size === 0) valid++;
          const before = endpoint.requests();
          const r = await spec.handler.check({}, spec.bag(c));
          expect([...new Set(r.failures.map((f) => topLevel(f.property)))].sort()).toEqual([...want].sort());
          spec.inspect?.(r, want.size === 0);
          if (want.size > 0 || !spec.mayLookUp?.(c)) expect(endpoint.requests()).toBe(before);
        }),
        { numRuns: PROPERTY_RUNS },
      );
    } finally {
      restore();
    }
    expect(valid).toBeGreaterThan(PROPERTY_RUNS * spec.minValidShare);
  });

  it("with the live quota checks on, invalid input still makes no API call", async () => {
    const restore = configureFor(endpoint.url, true);
    const before = endpoint.requests();
    try {
      await fc.assert(
        fc.asyncProperty(spec.cases, async (c) => {
          fc.pre(spec.expected(c).size > 0);
          expect((await failingProperties(spec.handler, spec.bag(c))).size).toBeGreaterThan(0);
        }),
        { numRuns: 2000 },
      );
    } finally {
      restore();
    }
    expect(endpoint.requests()).toBe(before);
  });
}
