// Every signing test vector of spec §10, reproduced exactly.
import {
  EMPTY_PAYLOAD_SHA256,
  canonicalQueryString,
  parseV3Authorization,
  percentEncode,
  sha256Hex,
  signV1,
  signV3,
  v1StringToSign,
  v3CanonicalRequest,
} from "./signature";

describe("percentEncode (spec §10.1 step 2)", () => {
  it.each([
    [" ", "%20"],
    ["*", "%2A"],
    ["~", "~"],
    ["'", "%27"],
    ["!()", "%21%28%29"],
    ["a-b_c.d", "a-b_c.d"],
    [",", "%2C"],
    ["/", "%2F"],
    ["中", "%E4%B8%AD"],
    ["+", "%2B"],
  ])("%j -> %j", (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });
});

describe("V1 (HMAC-SHA1) vectors", () => {
  it("V1-a: official doc example", () => {
    const params = {
      AccessKeyId: "testid",
      Action: "DescribeRegions",
      Format: "XML",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      SignatureVersion: "1.0",
      Timestamp: "2016-02-23T12:46:24Z",
      Version: "2014-05-26",
    };
    const { stringToSign, signature } = signV1("GET", params, "testsecret");
    expect(stringToSign).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(signature).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("V1-b: darabonba python test", () => {
    const { stringToSign, signature } = signV1("GET", { query: "test", body: "test" }, "secret");
    expect(stringToSign).toBe("GET&%2F&body%3Dtest%26query%3Dtest");
    expect(signature).toBe("XlUyV4sXjOuX5FnjUz9IF9tm5rU=");
  });

  it("V1-c: darabonba TS test (empty method)", () => {
    const { stringToSign, signature } = signV1("", { test: "ok" }, "accessKeySecret");
    expect(stringToSign).toBe("&%2F&test%3Dok");
    expect(signature).toBe("jHx/oHoHNrbVfhncHEvPdHXZwHU=");
  });

  it("V1-d: LiveMessage request with a comma-joined array", () => {
    const params = {
      AccessKeyId: "testid",
      Action: "CreateLiveMessageGroup",
      Administrators: "uid1,uid2",
      AppId: "demo",
      DataCenter: "cn-shanghai",
      Format: "JSON",
      GroupId: "grouptest",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "c5a1b2d3-0000-4000-8000-000000000001",
      SignatureVersion: "1.0",
      Timestamp: "2024-01-01T00:00:00Z",
      Version: "2016-11-01",
    };
    expect(canonicalQueryString(params)).toContain("Administrators=uid1%2Cuid2");
    const { stringToSign, signature } = signV1("POST", params, "testsecret");
    expect(stringToSign).toContain("Administrators%3Duid1%252Cuid2");
    expect(stringToSign).toContain("Timestamp%3D2024-01-01T00%253A00%253A00Z");
    expect(signature).toBe("lgnvseL/yRN4Ax8wvYLvpFgFyjo=");
  });

  it("ignores a Signature parameter when computing the string to sign", () => {
    expect(v1StringToSign("GET", { test: "ok", Signature: "x" })).toBe("GET&%2F&test%3Dok");
  });
});

describe("V3 (ACS3-HMAC-SHA256) vectors", () => {
  it("V3-a: official doc example", () => {
    const signed = signV3(
      {
        method: "POST",
        pathname: "/",
        query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" },
        headers: {
          host: "ecs.cn-shanghai.aliyuncs.com",
          "x-acs-action": "RunInstances",
          "x-acs-content-sha256": EMPTY_PAYLOAD_SHA256,
          "x-acs-date": "2023-10-26T10:22:32Z",
          "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
          "x-acs-version": "2014-05-26",
        },
        payloadHash: EMPTY_PAYLOAD_SHA256,
      },
      "YourAccessKeyId",
      "YourAccessKeySecret",
    );
    expect(sha256Hex(signed.canonicalRequest)).toBe("7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    expect(signed.signature).toBe("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    expect(signed.signedHeaders).toBe("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
  });

  it("V3-b: darabonba python test (repeated header, empty value)", () => {
    const req = {
      method: "GET",
      pathname: "/",
      query: { test: "ok", empty: "" },
      headers: { "x-acs-test": "http", "x-acs-TEST": "https" },
      payloadHash: "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
    };
    expect(v3CanonicalRequest(req).canonicalRequest).toBe(
      "GET\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
    );
    expect(signV3(req, "acesskey", "secret").authorization).toBe(
      "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test," +
        "Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1",
    );
  });

  it("V3-c: SHA-256 of 'test'", () => {
    expect(sha256Hex("test")).toBe("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    expect(sha256Hex("")).toBe(EMPTY_PAYLOAD_SHA256);
  });

  it("V3-d: LiveMessage CreateLiveMessageGroup", () => {
    const signed = signV3(
      {
        method: "POST",
        pathname: "/",
        query: { Administrators: "uid1,uid2", AppId: "demo", DataCenter: "cn-shanghai", GroupId: "grouptest" },
        headers: {
          host: "live.aliyuncs.com",
          "x-acs-action": "CreateLiveMessageGroup",
          "x-acs-version": "2016-11-01",
          "x-acs-date": "2024-01-01T00:00:00Z",
          "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
          "x-acs-content-sha256": EMPTY_PAYLOAD_SHA256,
        },
        payloadHash: EMPTY_PAYLOAD_SHA256,
      },
      "testid",
      "testsecret",
    );
    expect(signed.canonicalRequest.split("\n")[2]).toBe(
      "Administrators=uid1%2Cuid2&AppId=demo&DataCenter=cn-shanghai&GroupId=grouptest",
    );
    expect(sha256Hex(signed.canonicalRequest)).toBe("2721ff951b4614e0903f54a21ea45f17e6b16d70ccded17fa67462585447ebb5");
    expect(signed.signature).toBe("0b87007f64e4042bceca65f8c1d1cf7df3ef12a2740f65769aef86cdb652189e");
  });

  it("verifier side: rebuilding with the signed-header list from Authorization gives the same signature", () => {
    const req = {
      method: "POST",
      pathname: "/",
      query: { AppId: "demo" },
      headers: { host: "127.0.0.1:8787", "x-acs-action": "DescribeLiveMessageApp", "user-agent": "x", accept: "application/json" },
      payloadHash: EMPTY_PAYLOAD_SHA256,
    };
    const signed = signV3(req, "AK", "SK");
    const parsed = parseV3Authorization(signed.authorization);
    expect(parsed).toEqual({ accessKeyId: "AK", signedHeaders: ["host", "x-acs-action"], signature: signed.signature });
    expect(v3CanonicalRequest(req, parsed!.signedHeaders).canonicalRequest).toBe(signed.canonicalRequest);
  });

  it("rejects malformed Authorization headers", () => {
    expect(parseV3Authorization("HMAC-SHA1 foo")).toBeUndefined();
    expect(parseV3Authorization("ACS3-HMAC-SHA256 Credential=a,Signature=b")).toBeUndefined();
  });
});
