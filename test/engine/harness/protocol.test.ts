import { LineSplitter, parseLogLine } from "./logs";
import { makeUrn, ROOT_STACK_TYPE } from "./protocol";

describe("makeUrn (the engine's resource.NewURN)", () => {
  const stackUrn = makeUrn("dev", "proj", "", ROOT_STACK_TYPE, "proj-dev");

  it("leaves out the root stack as parent type", () => {
    expect(stackUrn).toBe("urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev");
    expect(makeUrn("dev", "proj", stackUrn, "pkg:index:Res", "r")).toBe("urn:pulumi:dev::proj::pkg:index:Res::r");
    expect(makeUrn("dev", "proj", "", "pkg:index:Res", "r")).toBe("urn:pulumi:dev::proj::pkg:index:Res::r");
  });

  it("prefixes the full qualified type of a component parent", () => {
    const comp = makeUrn("dev", "proj", stackUrn, "my:comp:A", "a");
    const inner = makeUrn("dev", "proj", comp, "my:comp:B", "b");
    expect(inner).toBe("urn:pulumi:dev::proj::my:comp:A$my:comp:B::b");
    expect(makeUrn("dev", "proj", inner, "pkg:index:Res", "r")).toBe(
      "urn:pulumi:dev::proj::my:comp:A$my:comp:B$pkg:index:Res::r",
    );
  });
});

describe("log lines", () => {
  it("parses pulumi.log's engine-less format and keeps other lines as info", () => {
    expect(parseLogLine("provider", "stderr", "warning: [runtime] careful", "urn:x")).toEqual({
      source: "provider",
      stream: "stderr",
      severity: "warning",
      message: "careful",
      urn: "urn:x",
    });
    expect(parseLogLine("program", "stdout", "hello", undefined)).toEqual({
      source: "program",
      stream: "stdout",
      severity: "info",
      message: "hello",
    });
  });

  it("splits chunks into lines, holding a partial line until its end", () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push("one\r\ntw");
    expect(lines).toEqual(["one"]);
    s.push("o\n\nthree");
    expect(lines).toEqual(["one", "two"]);
    s.flush();
    expect(lines).toEqual(["one", "two", "three"]);
  });
});
