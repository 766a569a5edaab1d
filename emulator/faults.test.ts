import { EmulatorError } from "./errors";
import { FaultInjector, faultError, parseFaultRules } from "./faults";

const ACTIONS = new Set(["CreateLiveMessageGroup", "DescribeLiveMessageGroup"]);

function badRequest(body: unknown): string {
  try {
    parseFaultRules(body, ACTIONS);
  } catch (e) {
    expect(e).toBeInstanceOf(EmulatorError);
    expect((e as EmulatorError).httpStatus).toBe(400);
    expect((e as EmulatorError).code).toBe("InvalidAdminRequest");
    return (e as EmulatorError).message;
  }
  throw new Error("accepted");
}

describe("parseFaultRules", () => {
  it("fills defaults", () => {
    expect(parseFaultRules({ rules: [{ action: "*", mode: "error" }] }, ACTIONS)).toEqual([
      { action: "*", probability: 1, mode: "error", code: "ServiceUnavailable", status: 503, latencyMs: 0 },
    ]);
    expect(
      parseFaultRules(
        { rules: [{ action: "CreateLiveMessageGroup", probability: 0.1, mode: "error", code: "InternalError", count: 2 }] },
        ACTIONS,
      )[0],
    ).toMatchObject({ code: "InternalError", status: 500, count: 2 });
  });

  it("answers clear messages for bad rules", () => {
    expect(badRequest(undefined)).toMatch(/Expected \{"rules"/);
    expect(badRequest({ rules: [{ action: "*", mode: "explode" }] })).toMatch(/rules\[0\]\.mode/);
    expect(badRequest({ rules: [{ action: "*", mode: "error", probability: 1.5 }] })).toMatch(/rules\[0\]\.probability/);
    expect(badRequest({ rules: [{ action: "*", mode: "error", status: 200 }] })).toMatch(/rules\[0\]\.status/);
    expect(badRequest({ rules: [{ action: "*", mode: "latency", latencyMs: -1 }] })).toMatch(/latencyMs/);
    expect(badRequest({ rules: [{ action: "*", mode: "error", count: 0 }] })).toMatch(/count/);
    expect(badRequest({ rules: [{ action: "*", mode: "error", colour: "red" }] })).toMatch(/colour/);
    expect(badRequest({ rules: [{ action: "DescribeRegions", mode: "error" }] })).toMatch(/DescribeRegions.*not an action/);
    expect(badRequest({ rules: [{ action: "*", mode: "error", code: "bad code!" }] })).toMatch(/code/);
  });
});

describe("FaultInjector", () => {
  const rules = parseFaultRules({ rules: [{ action: "CreateLiveMessageGroup", mode: "error", probability: 0.3 }] }, ACTIONS);

  function pattern(seed: number): boolean[] {
    const f = new FaultInjector(seed);
    f.set(rules);
    return Array.from({ length: 200 }, () => f.decide("CreateLiveMessageGroup") !== undefined);
  }

  it("is reproducible from the seed and roughly honours the probability", () => {
    const a = pattern(7);
    expect(pattern(7)).toEqual(a);
    expect(pattern(8)).not.toEqual(a);
    const hits = a.filter(Boolean).length;
    expect(hits).toBeGreaterThan(20);
    expect(hits).toBeLessThan(100);
  });

  it("replacing the rules restarts the decision stream", () => {
    const f = new FaultInjector(7);
    f.set(rules);
    const first = Array.from({ length: 50 }, () => f.decide("CreateLiveMessageGroup") !== undefined);
    f.set(rules);
    expect(Array.from({ length: 50 }, () => f.decide("CreateLiveMessageGroup") !== undefined)).toEqual(first);
  });

  it("matches by action or *, honours count, and clears", () => {
    const f = new FaultInjector(1);
    f.set(parseFaultRules({ rules: [{ action: "*", mode: "latency", latencyMs: 5, count: 2 }] }, ACTIONS));
    expect(f.decide("DescribeLiveMessageGroup")?.mode).toBe("latency");
    expect(f.decide("CreateLiveMessageGroup")?.mode).toBe("latency");
    expect(f.decide("CreateLiveMessageGroup")).toBeUndefined();
    expect(f.list()).toEqual([expect.objectContaining({ remaining: 0, fired: 2 })]);
    f.set(rules);
    expect(f.decide("DescribeLiveMessageGroup")).toBeUndefined();
    f.clear();
    expect(f.active).toBe(false);
  });

  it("error mode uses the real message of known codes", () => {
    const [rule] = parseFaultRules({ rules: [{ action: "*", mode: "error", code: "ServiceUnavailable", status: 503 }] }, ACTIONS);
    expect(faultError(rule!).message).toBe("The request has failed due to a temporary failure of the server.");
    const [custom] = parseFaultRules({ rules: [{ action: "*", mode: "error", code: "Custom.Code", status: 429 }] }, ACTIONS);
    expect(faultError(custom!)).toMatchObject({ code: "Custom.Code", httpStatus: 429 });
  });
});
