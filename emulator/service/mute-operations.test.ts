import { MUTE_USER_IDS_MAX as MAX_USERS_PER_BAN_CALL } from "../spec/limits";
import { expectError, Harness } from "./test-support/harness";

function setup(): { h: Harness; base: { AppId: string; GroupId: string }; band: () => any } {
  const h = new Harness();
  const appId = h.createApp();
  h.createGroup(appId, "g1");
  const base = { AppId: appId, GroupId: "g1" };
  return { h, base, band: () => h.call("DescribeLiveMessageGroupBand", base) };
}

const users = (n: number, prefix = "u"): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("mute model", () => {
  it("starts unmuted", () => {
    const { base, band } = setup();
    expect(band()).toEqual({ GroupId: base.GroupId, IsbannedAll: false, BannedUserList: [], UnbannedUserList: [] });
  });

  it("Ban: mute-all with exceptions; Unban: mute-all off, exceptions gone, individual mutes remain", () => {
    const { h, base, band } = setup();
    expect(h.call("AddLiveMessageGroupBand", { ...base, BannedUsers: ["bad1", "bad2"] })).toEqual({});
    expect(h.call("BanLiveMessageGroup", { ...base, ExceptUsers: ["host", "mod"] })).toEqual({});
    expect(band()).toEqual({ GroupId: "g1", IsbannedAll: true, BannedUserList: ["bad1", "bad2"], UnbannedUserList: ["host", "mod"] });
    // A second Ban replaces the exceptions.
    h.call("BanLiveMessageGroup", base);
    expect(band().UnbannedUserList).toEqual([]);
    expect(h.call("UnbanLiveMessageGroup", base)).toEqual({});
    expect(band()).toEqual({ GroupId: "g1", IsbannedAll: false, BannedUserList: ["bad1", "bad2"], UnbannedUserList: [] });
  });

  it("Add/Remove manage individual mutes (set semantics, order of first mute)", () => {
    const { h, base, band } = setup();
    h.call("AddLiveMessageGroupBand", { ...base, BannedUsers: ["a", "b"] });
    h.call("AddLiveMessageGroupBand", { ...base, BannedUsers: ["b", "c"] });
    expect(band().BannedUserList).toEqual(["a", "b", "c"]);
    expect(h.call("RemoveLiveMessageGroupBand", { ...base, UnbannedUsers: ["b", "zz"] })).toEqual({});
    expect(band().BannedUserList).toEqual(["a", "c"]);
  });

  it("ModifyLiveMessageGroupBand replaces the whole state (BannnedUsers with three n's)", () => {
    const { h, base, band } = setup();
    h.call("AddLiveMessageGroupBand", { ...base, BannedUsers: ["old1", "old2"] });
    expect(h.call("ModifyLiveMessageGroupBand", { ...base, BannedAll: true, BannnedUsers: ["x1"], ExceptUsers: ["host"] })).toEqual({});
    expect(band()).toEqual({ GroupId: "g1", IsbannedAll: true, BannedUserList: ["x1"], UnbannedUserList: ["host"] });
    // ExceptUsers only counts with BannedAll=true; omitted BannedAll = false; omitted list = none.
    h.call("ModifyLiveMessageGroupBand", { ...base, ExceptUsers: ["host"] });
    expect(band()).toEqual({ GroupId: "g1", IsbannedAll: false, BannedUserList: [], UnbannedUserList: [] });
    // The correctly spelled "BannedUsers" is not this operation's parameter.
    h.call("ModifyLiveMessageGroupBand", { ...base, BannedUsers: ["y1"] });
    expect(band().BannedUserList).toEqual([]);
  });

  it(`limits every list to ${MAX_USERS_PER_BAN_CALL} valid IDs per call`, () => {
    const { h, base, band } = setup();
    const tooMany = users(MAX_USERS_PER_BAN_CALL + 1);
    expectError(h.fail("BanLiveMessageGroup", { ...base, ExceptUsers: tooMany }), "InputInvalid", 400, "ExceptUsers");
    expectError(h.fail("AddLiveMessageGroupBand", { ...base, BannedUsers: tooMany }), "InputInvalid", 400, "BannedUsers");
    expectError(h.fail("RemoveLiveMessageGroupBand", { ...base, UnbannedUsers: tooMany }), "InputInvalid", 400, "UnbannedUsers");
    expectError(h.fail("ModifyLiveMessageGroupBand", { ...base, BannnedUsers: tooMany }), "InputInvalid", 400, "BannnedUsers");
    expectError(h.fail("ModifyLiveMessageGroupBand", { ...base, BannedAll: true, ExceptUsers: tooMany }), "InputInvalid", 400, "ExceptUsers");
    expectError(h.fail("ModifyLiveMessageGroupBand", { ...base, BannedAll: "on" }), "InputInvalid", 400, "BannedAll");
    expectError(h.fail("AddLiveMessageGroupBand", { ...base, BannedUsers: ["ok", "not-ok"] }), "InputInvalid", 400, "BannedUsers");
    h.call("AddLiveMessageGroupBand", { ...base, BannedUsers: users(MAX_USERS_PER_BAN_CALL) });
    h.call("AddLiveMessageGroupBand", { ...base, BannedUsers: users(MAX_USERS_PER_BAN_CALL, "v") });
    expect(band().BannedUserList).toHaveLength(MAX_USERS_PER_BAN_CALL * 2);
  });

  it("BannedUsers and UnbannedUsers are required", () => {
    const { h, base } = setup();
    expectError(h.fail("AddLiveMessageGroupBand", base), "InputInvalid", 400, "BannedUsers");
    expectError(h.fail("RemoveLiveMessageGroupBand", base), "InputInvalid", 400, "UnbannedUsers");
  });

  it.each([
    "BanLiveMessageGroup",
    "UnbanLiveMessageGroup",
    "AddLiveMessageGroupBand",
    "RemoveLiveMessageGroupBand",
    "ModifyLiveMessageGroupBand",
    "DescribeLiveMessageGroupBand",
  ])("%s answers ResourceNotExist for unknown and deleted groups, InputInvalid without GroupId", (action) => {
    const { h, base } = setup();
    const lists = { BannedUsers: ["a"], UnbannedUsers: ["a"] };
    expectError(h.fail(action, { ...base, GroupId: "nope", ...lists }), "ResourceNotExist", 404);
    expectError(h.fail(action, { AppId: base.AppId, ...lists }), "InputInvalid", 400, "GroupId");
    h.call("DeleteLiveMessageGroup", base);
    expectError(h.fail(action, { ...base, ...lists }), "ResourceNotExist", 404);
  });

  it("mutes do not block server-side sends through the API", () => {
    const { h, base } = setup();
    h.join(base.AppId, base.GroupId, "viewer");
    h.call("BanLiveMessageGroup", base);
    h.call("AddLiveMessageGroupBand", { ...base, BannedUsers: ["spammer"] });
    expect(h.call("SendLiveMessageGroup", { ...base, SenderId: "spammer", MsgTid: "ok1" })).toEqual({ MsgTid: "ok1" });
  });
});
