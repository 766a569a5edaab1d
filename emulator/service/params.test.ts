import { EmulatorError } from "../errors";
import { hookUrlProblem } from "../spec/limits";
import { OPERATION_RULES, type OperationRule, type ParamRule } from "../spec/operations";
import { checkParam, ParamReader, unique } from "./params";

function err(fn: () => unknown): EmulatorError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EmulatorError) return e;
    throw e;
  }
  throw new Error("expected an EmulatorError");
}

const rule = (name: string, kind: ParamRule["kind"], o: Partial<ParamRule> = {}): ParamRule => ({ name, kind, required: false, ...o });

describe("checkParam", () => {
  it("parses integers strictly", () => {
    const int = rule("n", "int");
    expect(checkParam(int, "42")).toBe(42);
    expect(checkParam(int, "-7")).toBe(-7);
    for (const bad of ["4.2", "0x10", " 1", "1e3"]) {
      const e = err(() => checkParam(int, bad));
      expect([e.code, e.httpStatus]).toEqual(["InputInvalid", 400]);
      expect(e.message).toContain("n must be an integer");
    }
    expect(err(() => checkParam(int, "99999999999")).message).toContain("out of range"); // beyond int32
    expect(checkParam({ ...int, int64: true }, "99999999999")).toBe(99999999999);
    expect(err(() => checkParam({ ...int, int64: true }, "9007199254740993")).message).toContain("out of range"); // beyond 2^53
    expect(checkParam(int, "")).toBeUndefined(); // empty = omitted
    expect(checkParam(int, undefined)).toBeUndefined();
    expect(err(() => checkParam({ ...int, required: true }, undefined)).message).toContain("n is mandatory");
    expect(err(() => checkParam({ ...int, required: true }, "")).message).toContain("n is mandatory");
    expect(err(() => checkParam({ ...int, oneOf: [1, 2] }, "42")).message).toContain("one of 1, 2");
    expect(err(() => checkParam({ ...int, max: 10 }, "42")).message).toContain("at most 10");
    expect(err(() => checkParam({ ...int, min: 0 }, "-7")).message).toContain("at least 0");
  });

  it("parses booleans strictly (true/false, any case)", () => {
    const b = rule("c", "bool");
    expect(checkParam(b, "true")).toBe(true);
    expect(checkParam(b, "FALSE")).toBe(false);
    expect(err(() => checkParam(b, "1")).message).toContain("c must be true or false");
    expect(err(() => checkParam(b, "yes")).code).toBe("InputInvalid");
    expect(checkParam(b, "")).toBeUndefined();
  });

  it("parses comma lists strictly and accepts the JSON form", () => {
    const list = rule("l", "idList", { maxItems: 5 });
    expect(checkParam({ ...list, maxItems: 3 }, "x,y,z")).toEqual(["x", "y", "z"]);
    expect(err(() => checkParam({ ...list, maxItems: 2 }, "x,y,z")).message).toContain("more than 2");
    expect(err(() => checkParam(list, "x,,y")).message).toContain("empty entry");
    expect(err(() => checkParam(list, "x, y")).message).toContain("letters and digits");
    expect(checkParam(list, '["x","y"]')).toEqual(["x", "y"]);
    expect(err(() => checkParam(list, '["x",1]')).code).toBe("InputInvalid");
    expect(err(() => checkParam(list, "[x")).code).toBe("InputInvalid");
    expect(checkParam(list, "")).toEqual([]);
    expect(err(() => checkParam({ ...list, required: true }, "")).message).toContain("mandatory");
    expect(err(() => checkParam({ ...list, minItems: 1 }, "")).message).toContain("at least 1");
  });

  it("checks IDs, byte and character limits", () => {
    const id = rule("i", "id", { required: true });
    expect(checkParam(id, "abc123")).toBe("abc123");
    expect(err(() => checkParam(id, "abc_123")).code).toBe("InputInvalid");
    expect(err(() => checkParam(id, "a".repeat(65))).code).toBe("InputInvalid");
    expect(checkParam(id, "a".repeat(64))).toBe("a".repeat(64));
    expect(err(() => checkParam(id, "")).message).toContain("mandatory");
    expect(checkParam(rule("s", "string", { maxBytes: 6 }), "汉字")).toBe("汉字");
    expect(err(() => checkParam(rule("s", "string", { maxBytes: 5 }), "汉字")).message).toContain("5 bytes");
    expect(checkParam(rule("s", "string"), "")).toBe(""); // free text: "" is a value
    expect(err(() => checkParam(rule("n", "appName", { min: 3 }), "汉字")).message).toContain("3 characters");
    expect(checkParam(rule("n", "appName", { min: 2 }), "")).toBeUndefined(); // optional name: "" = not given
  });

  it("AppId: non-empty, no whitespace or commas, bounded", () => {
    const appId = rule("AppId", "appId", { required: true, maxBytes: 64 });
    expect(checkParam(appId, "demo")).toBe("demo");
    expect(err(() => checkParam(appId, "")).message).toContain("mandatory");
    expect(err(() => checkParam(appId, "a b")).message).toContain("whitespace");
    expect(err(() => checkParam(appId, "a,b")).message).toContain("commas");
    expect(err(() => checkParam(appId, "a".repeat(65))).message).toContain("64 bytes");
  });

  it("DataCenter: only the documented values; empty = omitted", () => {
    const dc = rule("DataCenter", "dataCenter");
    expect(checkParam(dc, "")).toBeUndefined();
    expect(checkParam(dc, "ap-southeast-1")).toBe("ap-southeast-1");
    expect(err(() => checkParam(dc, "us-west-1")).message).toContain("DataCenter");
  });

  it("hook URLs: empty means none, otherwise the §3.1 rules, naming the parameter", () => {
    const u = rule("U", "hookUrl");
    expect(checkParam(u, "")).toBe("");
    expect(checkParam(u, "https://a.example.com/")).toBe("https://a.example.com/");
    expect(err(() => checkParam(u, "http://10.0.0.1/")).message).toContain("U must not point");
  });
});

describe("ParamReader", () => {
  const op: OperationRule = OPERATION_RULES.CreateLiveMessageGroup;

  it("validates every parameter of the table in table order", () => {
    expect(err(() => new ParamReader({}, op).validate()).message).toContain("AppId is mandatory");
    expect(err(() => new ParamReader({ AppId: "a", GroupId: "g", GroupName: "x".repeat(129) }, op).validate()).message).toContain("GroupName");
    const p = new ParamReader({ AppId: "a", GroupId: "g", Administrators: "u1,u2" }, op).validate();
    expect([p.appId(), p.reqStr("GroupId"), p.list("Administrators"), p.str("GroupName"), p.dataCenter()]).toEqual([
      "a",
      "g",
      ["u1", "u2"],
      undefined,
      "cn-shanghai",
    ]);
  });

  it("refuses to read a parameter the table does not declare (an emulator bug, not a client error)", () => {
    const p = new ParamReader({ AppId: "a", GroupId: "g" }, op).validate();
    expect(() => p.str("Body")).toThrow(/emulator bug/);
    expect(() => p.reqStr("GroupName")).toThrow(/emulator bug/); // optional in the table
    expect(() => p.int("GroupId")).toThrow(/emulator bug/); // another kind
  });

  it("never reads inherited properties", () => {
    expect(new ParamReader({}, op).raw("toString")).toBeUndefined();
  });
});

describe("hookUrlProblem (§3.1 URL rules)", () => {
  it.each([
    "http://example.com/cb",
    "https://example.com",
    "https://sub.example.com/a/b?c=d#e",
    "http://8.8.8.8/hook",
    "https://[2001:db8::1]/x",
  ])("accepts %s", (url) => {
    expect(hookUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ["ftp://example.com/x", "http"],
    ["example.com/x", "http"],
    ["http://example.com:80/x", "port"],
    ["https://example.com:443", "port"],
    ["http://example.com:/x", "port"],
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
    ["http://2130706433/x", "private"], // 127.0.0.1 in decimal form (the URL parser normalises it)
    ["http://user:pw@example.com/x", "password"],
    ["http:///x", "host"],
  ])("rejects %s (%s)", (url, why) => {
    expect(hookUrlProblem(url)).toContain(why);
  });

  it("does not treat 172.32/12 neighbours as private", () => {
    expect(hookUrlProblem("http://172.32.0.1/x")).toBeUndefined();
    expect(hookUrlProblem("http://11.0.0.1/x")).toBeUndefined();
  });
});

describe("unique", () => {
  it("keeps the first occurrence order", () => {
    expect(unique(["b", "a", "b", "c", "a"])).toEqual(["b", "a", "c"]);
  });
});
