import { XMLParser } from "fast-xml-parser";
import { Errors } from "./errors";
import { formatOf, parseUrlEncoded, renderError, renderSuccess, serviceParams } from "./wire";

describe("parameters (spec §2.1, §2.2)", () => {
  it("decodes query strings and form bodies; the first occurrence wins; __proto__ is ignored", () => {
    expect(parseUrlEncoded("A=1&B=x%2Cy&C=a%20b&A=2&__proto__=z")).toEqual({ A: "1", B: "x,y", C: "a b" });
    expect(Object.getPrototypeOf(parseUrlEncoded("__proto__=z"))).toBe(Object.prototype);
    expect(parseUrlEncoded("")).toEqual({});
  });

  it("folds Name.N into Name in N order and drops gateway parameters", () => {
    const out = serviceParams({
      Action: "X",
      Signature: "s",
      SecurityToken: "t",
      AccessKeyId: "k",
      AppId: "demo",
      "UserIds.10": "u10",
      "UserIds.2": "u2",
      "UserIds.1": "u1",
      "Administrators.1": "ignored",
      Administrators: "explicit",
    });
    expect(out).toEqual({ AppId: "demo", UserIds: "u1,u2,u10", Administrators: "explicit" });
  });

  it("Format: only JSON/json is JSON; no Format is XML (Live's V1 default)", () => {
    expect(formatOf("JSON")).toBe("json");
    expect(formatOf("json")).toBe("json");
    expect(formatOf("XML")).toBe("xml");
    expect(formatOf(undefined)).toBe("xml");
  });
});

describe("rendering (spec §2.3)", () => {
  const parser = new XMLParser();

  it("success JSON is flat with RequestId first and the request id header", () => {
    const r = renderSuccess("DescribeLiveMessageGroup", "RID", { GroupId: "g", AdminList: ["a"], RequestId: "spoof" }, "json");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json;charset=utf-8");
    expect(r.headers["x-acs-request-id"]).toBe("RID");
    expect(r.body).toBe('{"RequestId":"RID","GroupId":"g","AdminList":["a"]}');
  });

  it("success XML: <ActionResponse>, arrays as repeated elements, non-name keys as Entry", () => {
    const r = renderSuccess("ListLiveMessageGroups", "RID", { GroupList: [{ GroupId: "a" }, { GroupId: "b" }], Hasmore: false, MsgAmount: { "1": 20 } }, "xml");
    expect(r.headers["content-type"]).toBe("text/xml;charset=utf-8");
    expect(r.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><ListLiveMessageGroupsResponse>')).toBe(true);
    expect(r.body).toContain("<GroupList><GroupId>a</GroupId></GroupList><GroupList><GroupId>b</GroupId></GroupList>");
    expect(r.body).toContain('<MsgAmount><Entry Key="1">20</Entry></MsgAmount>');
    const parsed = parser.parse(r.body);
    expect(parsed.ListLiveMessageGroupsResponse.RequestId).toBe("RID");
    expect(parsed.ListLiveMessageGroupsResponse.Hasmore).toBe(false);
  });

  it("errors carry the envelope, the status and extra headers, in JSON and XML", () => {
    const err = Errors.throttlingUser(250);
    const json = renderError(err, "RID", "json");
    expect(json.status).toBe(400);
    expect(json.headers["x-acs-retry-after"]).toBe("250");
    expect(JSON.parse(json.body)).toEqual({
      RequestId: "RID",
      HostId: "live.aliyuncs.com",
      Code: "Throttling.User",
      Message: "Request was denied due to user flow control.",
      Recommend: "https://api.aliyun.com/troubleshoot?q=Throttling.User&product=live&requestId=RID",
    });
    const xml = renderError(Errors.resourceNotExist("group <g>"), "RID", "xml");
    expect(xml.status).toBe(404);
    const parsed = parser.parse(xml.body);
    expect(parsed.Error).toMatchObject({ RequestId: "RID", Code: "ResourceNotExist", Message: "The resource does not exist: group <g>." });
  });
});
