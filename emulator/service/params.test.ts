import { EmulatorError } from "../errors";
import { callbackUrlProblem } from "../../provider/limits";
import { optionalCallbackUrl, ParamReader, unique } from "./params";

function err(fn: () => unknown): EmulatorError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EmulatorError) return e;
    throw e;
  }
  throw new Error("expected an EmulatorError");
}

describe("ParamReader", () => {
  it("parses integers strictly", () => {
    const p = new ParamReader({ a: "42", b: "-7", c: "4.2", d: "0x10", e: " 1", f: "1e3", g: "99999999999", h: "", i: "9007199254740993" });
    expect(p.requiredInt("a")).toBe(42);
    expect(p.optionalInt("b")).toBe(-7);
    for (const name of ["c", "d", "e", "f"]) {
      const e = err(() => p.optionalInt(name));
      expect([e.code, e.httpStatus]).toEqual(["InputInvalid", 400]);
      expect(e.message).toContain(name);
    }
    expect(err(() => p.optionalInt("g")).message).toContain("out of range"); // beyond int32
    expect(p.optionalInt("g", { kind: "int64" })).toBe(99999999999);
    expect(err(() => p.optionalInt("i", { kind: "int64" })).message).toContain("out of range"); // beyond 2^53
    expect(p.optionalInt("h")).toBeUndefined(); // empty = omitted
    expect(p.optionalInt("missing")).toBeUndefined();
    expect(err(() => p.requiredInt("missing")).message).toContain("missing is mandatory");
    expect(err(() => p.requiredInt("a", { oneOf: [1, 2] })).message).toContain("one of 1, 2");
    expect(err(() => p.requiredInt("a", { max: 10 })).message).toContain("at most 10");
    expect(err(() => p.requiredInt("b", { min: 0 })).message).toContain("at least 0");
  });

  it("parses booleans strictly (true/false, any case)", () => {
    const p = new ParamReader({ a: "true", b: "FALSE", c: "1", d: "yes", e: "" });
    expect(p.optionalBool("a")).toBe(true);
    expect(p.optionalBool("b")).toBe(false);
    expect(err(() => p.optionalBool("c")).message).toContain("c must be true or false");
    expect(err(() => p.optionalBool("d")).code).toBe("InputInvalid");
    expect(p.optionalBool("e")).toBeUndefined();
  });

  it("parses comma lists strictly and accepts the JSON form", () => {
    const p = new ParamReader({ a: "x,y,z", b: "x,,y", c: "x, y", d: '["x","y"]', e: '["x",1]', f: "[x", g: "" });
    expect(p.requiredIdList("a", { max: 3 })).toEqual(["x", "y", "z"]);
    expect(err(() => p.requiredIdList("a", { max: 2 })).message).toContain("more than 2");
    expect(err(() => p.optionalIdList("b", { max: 5 })).message).toContain("empty entry");
    expect(err(() => p.optionalIdList("c", { max: 5 })).message).toContain("letters and digits");
    expect(p.optionalIdList("d", { max: 5 })).toEqual(["x", "y"]);
    expect(err(() => p.optionalIdList("e", { max: 5 })).code).toBe("InputInvalid");
    expect(err(() => p.optionalIdList("f", { max: 5 })).code).toBe("InputInvalid");
    expect(p.optionalIdList("g", { max: 5 })).toEqual([]);
    expect(err(() => p.requiredIdList("g", { max: 5 })).message).toContain("mandatory");
  });

  it("checks IDs, byte and character limits", () => {
    const p = new ParamReader({ id: "abc123", bad: "abc_123", long: "a".repeat(65), s: "汉字", empty: "" });
    expect(p.requiredId("id")).toBe("abc123");
    expect(err(() => p.requiredId("bad")).code).toBe("InputInvalid");
    expect(err(() => p.requiredId("long")).code).toBe("InputInvalid");
    expect(err(() => p.requiredId("empty")).message).toContain("mandatory");
    expect(p.optionalString("s", { maxBytes: 6 })).toBe("汉字");
    expect(err(() => p.optionalString("s", { maxBytes: 5 })).message).toContain("5 bytes");
    expect(err(() => p.optionalString("s", { minChars: 3 })).message).toContain("3 characters");
    expect(p.optionalString("empty")).toBe("");
  });

  it("DataCenter: default cn-shanghai, only the documented values", () => {
    expect(new ParamReader({}).dataCenter()).toBe("cn-shanghai");
    expect(new ParamReader({ DataCenter: "" }).dataCenter()).toBe("cn-shanghai");
    expect(new ParamReader({ DataCenter: "ap-southeast-1" }).dataCenter()).toBe("ap-southeast-1");
    expect(err(() => new ParamReader({ DataCenter: "us-west-1" }).dataCenter()).message).toContain("DataCenter");
  });

  it("never reads inherited properties", () => {
    expect(new ParamReader({}).raw("toString")).toBeUndefined();
  });
});

describe("callbackUrlProblem (§3.1 URL rules, shared with the client)", () => {
  it.each([
    "http://example.com/cb",
    "https://example.com",
    "https://sub.example.com/a/b?c=d#e",
    "http://8.8.8.8/hook",
    "https://[2001:db8::1]/x",
  ])("accepts %s", (url) => {
    expect(callbackUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ["ftp://example.com/x", "http"],
    ["example.com/x", "http"],
    ["http://example.com:80/x", "port"],
    ["https://example.com:443", "port"],
    ["http://[2001:db8::1]:8080/", "port"],
    ["http://10.1.2.3/x", "private"],
    ["http://172.16.0.1/x", "private"],
    ["http://172.31.255.255/x", "private"],
    ["http://192.168.0.1/x", "private"],
    ["http://127.0.0.1/x", "private"],
    ["http://169.254.1.1/x", "private"],
    ["http://100.64.0.1/x", "private"],
    ["http://0.0.0.0/x", "private"],
    ["http://localhost/x", "private"],
    ["http://[::1]/x", "private"],
    ["http://[fd00::1]/x", "private"],
    ["http://2130706433/x", "private"], // 127.0.0.1 in decimal form
    ["http://user:pw@example.com/x", "credentials"],
    ["http:///x", "host"],
  ])("rejects %s (%s)", (url, why) => {
    expect(callbackUrlProblem(url)).toContain(why);
  });

  it("does not treat 172.32/12 neighbours as private", () => {
    expect(callbackUrlProblem("http://172.32.0.1/x")).toBeUndefined();
    expect(callbackUrlProblem("http://11.0.0.1/x")).toBeUndefined();
  });
});

describe("optionalCallbackUrl", () => {
  it("treats empty as 'not set' and names the parameter when the URL is bad", () => {
    expect(optionalCallbackUrl(new ParamReader({ U: "" }), "U")).toBe("");
    expect(optionalCallbackUrl(new ParamReader({}), "U")).toBeUndefined();
    expect(optionalCallbackUrl(new ParamReader({ U: "https://a.example.com/" }), "U")).toBe("https://a.example.com/");
    expect(err(() => optionalCallbackUrl(new ParamReader({ U: "http://10.0.0.1/" }), "U")).message).toContain("U must not point");
  });
});

describe("unique", () => {
  it("keeps the first occurrence order", () => {
    expect(unique(["b", "a", "b", "c", "a"])).toEqual(["b", "a", "c"]);
  });
});
