// livemessage:responseTimeoutMs (issue 9: how long an attempt waits before its answer counts as lost).
import { LiveConfigError } from "../client/errors";
import { readProviderConfig } from "./config";

const read = (values: Record<string, string>) => readProviderConfig((k) => values[k], {});

describe("livemessage:responseTimeoutMs", () => {
  it("is a positive whole number of milliseconds, absent by default", () => {
    expect(read({}).responseTimeoutMs).toBeUndefined();
    expect(read({ "livemessage:responseTimeoutMs": "1500" }).responseTimeoutMs).toBe(1500);
  });

  it.each(["0", "-5", "1.5", "fast"])("%j is refused with a message naming the key", (value) => {
    expect(() => read({ "livemessage:responseTimeoutMs": value })).toThrow(LiveConfigError);
    expect(() => read({ "livemessage:responseTimeoutMs": value })).toThrow(/livemessage:responseTimeoutMs must be a positive whole number/);
  });
});

describe("livemessage:deadlineMs, accountId, coalesceReads (issue 11)", () => {
  it("deadlineMs is a positive whole number of milliseconds", () => {
    expect(read({ "livemessage:deadlineMs": "600000" }).deadlineMs).toBe(600000);
    expect(() => read({ "livemessage:deadlineMs": "0" })).toThrow(/livemessage:deadlineMs must be a positive whole number of milliseconds \(default 120000\)/);
  });

  it("accountId is digits, from the config or ALIBABA_CLOUD_ACCOUNT_ID", () => {
    expect(read({}).accountId).toBeUndefined();
    expect(read({ "livemessage:accountId": "1234567890123456" }).accountId).toBe("1234567890123456");
    expect(readProviderConfig(() => undefined, { ALIBABA_CLOUD_ACCOUNT_ID: "42" }).accountId).toBe("42");
    expect(() => read({ "livemessage:accountId": "acme-prod" })).toThrow(/livemessage:accountId .* must be the Alibaba Cloud account ID, digits only/);
  });

  it("coalesceReads is true or false", () => {
    expect(read({}).coalesceReads).toBeUndefined();
    expect(read({ "livemessage:coalesceReads": "false" }).coalesceReads).toBe(false);
    expect(() => read({ "livemessage:coalesceReads": "no" })).toThrow(/livemessage:coalesceReads must be true \(default\) or false/);
  });
});
