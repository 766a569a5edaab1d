import { z } from "zod";
import {
  appIdField,
  appNameField,
  callbackUrlField,
  describeType,
  idField,
  idListField,
  idProblem,
  intEnum,
  intField,
  stringField,
} from "./common";

function messages(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe("describeType", () => {
  it.each([
    [null, "null"],
    [[1], "array"],
    [Number.NaN, "NaN"],
    [1, "number"],
    ["s", "string"],
    [{}, "object"],
    [undefined, "undefined"],
    [true, "boolean"],
  ])("%p → %s", (input, expected) => {
    expect(describeType(input)).toBe(expected);
  });
});

describe("idProblem / idField (§2.4)", () => {
  it("accepts letters and digits up to 64 bytes", () => {
    expect(idProblem("a")).toBeUndefined();
    expect(idProblem("Z9")).toBeUndefined();
    expect(idProblem("x".repeat(64))).toBeUndefined();
    expect(messages(idField(), "abc123XYZ")).toEqual([]);
  });
  it("rejects 65 bytes, saying the rule and the size", () => {
    expect(idProblem("x".repeat(65))).toBe("must be letters and digits only, at most 64 bytes (got 65 bytes)");
  });
  it("rejects other characters, naming the first one", () => {
    expect(idProblem("ab_c")).toBe('must be letters and digits only, at most 64 bytes (found "_")');
    expect(idProblem("ab c")).toContain("U+0020");
    expect(idProblem("ab\nc")).toContain("U+000A");
    expect(idProblem("😀")).toContain("U+1F600");
    expect(idProblem("组".repeat(30))).toBe("must be letters and digits only, at most 64 bytes (found U+7EC4, 90 bytes)");
  });
  it("rejects empty", () => {
    expect(idProblem("")).toMatch(/^must not be empty/);
  });
  it("says when a value is missing vs mistyped", () => {
    expect(messages(idField(), undefined)).toEqual(["is required (a string)"]);
    expect(messages(idField(), 5)).toEqual(["must be a string (got number)"]);
  });
});

describe("stringField", () => {
  it("counts UTF-8 bytes, not characters", () => {
    const f = stringField({ maxBytes: 6 });
    expect(messages(f, "组组")).toEqual([]);
    expect(messages(f, "组组a")).toEqual(["must be at most 6 bytes in UTF-8 (got 7 bytes)"]);
    expect(messages(f, "😀a")).toEqual([]);
    expect(messages(f, "😀😀")).toEqual(["must be at most 6 bytes in UTF-8 (got 8 bytes)"]);
  });
  it("nonEmpty", () => {
    expect(messages(stringField({ nonEmpty: true }), "")).toEqual(["must not be empty"]);
    expect(messages(stringField(), "")).toEqual([]);
  });
});

describe("appIdField ([U] loose)", () => {
  it("accepts typical service-issued IDs", () => {
    for (const id of ["demo", "cU9MeBqf1234", "app-1_x.y"]) expect(messages(appIdField(), id)).toEqual([]);
  });
  it("rejects empty, whitespace, commas and > 64 bytes", () => {
    expect(messages(appIdField(), "")).toEqual(["must not be empty"]);
    expect(messages(appIdField(), "a b")).toEqual(["must not contain whitespace or commas"]);
    expect(messages(appIdField(), "a,b")).toEqual(["must not contain whitespace or commas"]);
    expect(messages(appIdField(), "a".repeat(65))).toEqual(["must be at most 64 bytes (got 65 bytes)"]);
  });
});

describe("appNameField (§3.1: 2–16 characters)", () => {
  it("counts code points", () => {
    expect(messages(appNameField(), "😀😀")).toEqual([]);
    expect(messages(appNameField(), "😀")).toEqual(["must be 2–16 characters long (got 1)"]);
    expect(messages(appNameField(), "")).toEqual(["must be 2–16 characters long (got 0)"]);
  });
});

describe("intField / intEnum", () => {
  it("ranges", () => {
    expect(messages(intField({ min: 1, max: 5 }), 0)).toEqual(["must be between 1 and 5 (got 0)"]);
    expect(messages(intField({ min: 1 }), 0)).toEqual(["must be at least 1 (got 0)"]);
    expect(messages(intField({ max: 5 }), 6)).toEqual(["must be at most 5 (got 6)"]);
    expect(messages(intField(), -7)).toEqual([]);
    expect(messages(intField(), Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(messages(intField(), Number.MAX_SAFE_INTEGER + 1)).toEqual([`must be an integer (got ${Number.MAX_SAFE_INTEGER + 1})`]);
    expect(messages(intField(), Infinity)).toHaveLength(1);
    expect(messages(intField(), "1")).toEqual(["must be an integer (got string)"]);
  });
  it("enums list allowed values with their meaning", () => {
    const e = intEnum({ 1: "one", 2: "two", 3: "three" });
    expect(messages(e, 2)).toEqual([]);
    expect(messages(e, 4)).toEqual(["must be 1 (one), 2 (two) or 3 (three) (got 4)"]);
    expect(messages(intEnum({ 7: "only" }), 1)).toEqual(["must be 7 (only) (got 1)"]);
  });
});

describe("idListField", () => {
  it("phrases the count rule", () => {
    expect(messages(idListField({ min: 0, max: 2 }), ["a", "b", "c"])).toEqual(["must list at most 2 IDs (got 3)"]);
    expect(messages(idListField({ min: 1, max: 2 }), [])).toEqual(["must list 1–2 IDs (got 0)"]);
    expect(messages(idListField({ min: 2, max: 2 }), ["a"])).toEqual(["must list exactly 2 IDs (got 1)"]);
  });
  it("checks each ID with its index in the path", () => {
    const r = idListField({ min: 0, max: 5 }).safeParse(["ok", "no_t", "fine", ""]);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toEqual([[1], [3]]);
  });
});

describe("callbackUrlField (§3.1: http/https, no port, no private IP)", () => {
  const f = callbackUrlField({ allowEmpty: false });
  it.each([
    "http://example.com",
    "https://example.com/cb",
    "HTTPS://Example.COM/cb?x=1#frag",
    "http://8.8.8.8/hook",
    "http://172.32.0.1/x",
    "http://[2001:db8::1]/x",
  ])("accepts %s", (url) => {
    expect(messages(f, url)).toEqual([]);
  });
  it.each([
    ["ftp://example.com/", /http/],
    ["example.com/cb", /http/],
    ["http://example.com:80/", /port/],
    ["https://example.com:8443/", /port/],
    ["http://[2001:db8::1]:8080/", /port/],
    ["http://10.0.0.1/", /private|loopback/],
    ["http://127.0.0.1/", /private|loopback/],
    ["http://0x7f.1/", /private|loopback/],
    ["http://2130706433/", /private|loopback/],
    ["http://172.31.255.255/", /private|loopback/],
    ["http://192.168.1.1/", /private|loopback/],
    ["http://169.254.169.254/", /private|loopback/],
    ["http://100.64.0.1/", /private|loopback/],
    ["http://0.0.0.0/", /private|loopback/],
    ["http://localhost/", /private|loopback/],
    ["http://api.localhost/", /private|loopback/],
    ["http://[::1]/", /private|loopback/],
    ["http://[fd00::1]/", /private|loopback/],
    ["http://[fe80::1]/", /private|loopback/],
    ["http://[::ffff:10.0.0.1]/", /private|loopback/],
  ])("rejects %s", (url, re) => {
    const m = messages(f, url);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(re);
  });
  it("empty: allowed only where it means 'off'", () => {
    expect(messages(callbackUrlField({ allowEmpty: true }), "")).toEqual([]);
    expect(messages(f, "")).toEqual(["must not be empty"]);
  });
});
