// The invariant checker of the fault suites must be able to fail: each violation, built by hand, is reported.
import type { AppSnapshot, GroupSnapshot, StoreSnapshot } from "../../../emulator/service/state";
import { makeResult, type OperationResult, type ResourceState, type StepResult } from "../harness/state";
import { APP_TYPE, GROUP_TYPE, SEED_TYPE } from "../support";
import { NO_VIOLATIONS, violations } from "./invariants";

function group(groupId: string, extra: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return {
    groupId, groupName: "G", groupInfo: "", creatorId: "", adminList: [], createTime: 1, createSeq: 1, deleted: false, deleteTime: 0,
    deletor: "", members: [], nextJoinSeq: 1, superLarge: false, totalTimes: 0, msgAmount: [], totalMessages: 0, seqNumber: 0,
    messages: [], usedTids: [], cache: [], bannedAll: false, exceptUsers: [], bannedUsers: [], ...extra,
  };
}
function app(appId: string, groups: GroupSnapshot[] = [], extra: Partial<AppSnapshot> = {}): AppSnapshot {
  return {
    accountId: "1", appId, appName: "a", appKey: "k", appSign: "s", auditType: 0, auditUrl: "", eventCallbackUrl: "", msgLifeCycle: 0,
    dataCenter: "cn-shanghai", disable: false, createTime: 1, modifyTime: 1, createSeq: 1, nextGroupSeq: 1, groups, userGroups: [], userMessages: [], ...extra,
  };
}
const store = (...apps: AppSnapshot[]): StoreSnapshot => ({ version: 1, nextAppSeq: 1, apps });
function res(type: string, name: string, id: string, extra: Partial<ResourceState> = {}): ResourceState {
  return { urn: `urn:pulumi:s::p::${type}::${name}`, type, custom: true, id, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {}, ...extra };
}
function run(...steps: Partial<StepResult>[]): OperationResult {
  return makeResult({
    kind: "up",
    steps: steps.map((s) => ({ op: "create", urn: `urn:pulumi:s::p::${GROUP_TYPE}::${s.name}`, type: GROUP_TYPE, name: "g", diffs: [], replaces: [], status: "succeeded", ...s }) as StepResult),
    outputs: {},
    failures: [],
    logs: [],
    rpcs: [],
  });
}

describe("fault-suite invariants", () => {
  const host = app("h1");
  it("a clean outcome has no violations", () => {
    const after = store(app("h1", [group("g1")]));
    expect(violations({ before: store(host), after, state: [res(GROUP_TYPE, "g", "h1/g1")], runs: [] })).toEqual(NO_VIOLATIONS);
  });

  it("an unrecorded new group is an orphan; a second one like a recorded one is a duplicate", () => {
    const after = store(app("h1", [group("g1"), group("g2", { groupName: "other" }), group("g3")]));
    const v = violations({ before: store(host), after, state: [res(GROUP_TYPE, "g", "h1/g1")], runs: [] });
    expect(v.orphans).toEqual(["group h1/g2"]);
    expect(v.duplicates).toEqual(["group h1/g3"]);
  });

  it("recording or changing an object that existed before is a takeover, unless the program asked for it", () => {
    const before = store(app("h1", [group("theirs", { adminList: ["them"] })]));
    const changed = store(app("h1", [group("theirs", { adminList: ["us"] })]));
    expect(violations({ before, after: changed, state: [], runs: [] }).takeovers).toEqual(["group h1/theirs"]);
    expect(violations({ before, after: before, state: [res(GROUP_TYPE, "g", "h1/theirs")], runs: [] }).takeovers).toEqual(["group h1/theirs"]);
    expect(violations({ before, after: changed, state: [res(GROUP_TYPE, "g", "h1/theirs")], runs: [], adopted: ["h1/theirs"] }).takeovers).toEqual([]);
  });

  it("a replace step, or an id that changes between runs, is a replacement", () => {
    const after = store(app("h1", [group("g2")]));
    const state = [res(GROUP_TYPE, "g", "h1/g2")];
    expect(violations({ before: store(host), after, state, runs: [run({ name: "g", id: "h1/g1" }), run({ name: "g", op: "update", id: "h1/g2" })] }).replacements).toEqual([
      "g: id h1/g1 → h1/g2",
    ]);
    expect(violations({ before: store(host), after, state, runs: [run({ name: "g", op: "replace", id: "h1/g2" })] }).replacements).toHaveLength(1);
  });

  it("a recorded resource that does not exist is a phantom (not while it carries init errors, nor an undelivered seed)", () => {
    const after = store(host);
    expect(violations({ before: store(host), after, state: [res(GROUP_TYPE, "g", "h1/nope")], runs: [] }).phantoms).toEqual(["Group h1/nope"]);
    expect(violations({ before: store(host), after, state: [res(GROUP_TYPE, "g", "h1/nope", { initErrors: ["x"] })], runs: [] }).phantoms).toEqual([]);
    expect(violations({ before: store(host), after, state: [res(SEED_TYPE, "s", "h1/g/m", { outputs: { delivered: false } })], runs: [] }).phantoms).toEqual([]);
    expect(violations({ before: store(), after: store(app("a1", [], { disable: true })), state: [res(APP_TYPE, "a", "a1")], runs: [] }).phantoms).toEqual([]);
  });
});
