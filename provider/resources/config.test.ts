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
