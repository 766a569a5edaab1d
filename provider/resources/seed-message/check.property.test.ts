// Property test of `SeedMessage` check (issue 5): ≥ 10,000 generated inputs; every invalid one fails on the right
// property, no valid one fails, and no API call is made.
import fc from "fast-check";
import { DATA_CENTERS, MESSAGE_BODY_MAX_BYTES, SENDER_META_MAX_BYTES } from "../../limits";
import {
  checkPropertySuite,
  bagOf,
  bool,
  byteLimited,
  expectedFromFields,
  extraKey,
  field,
  invalidAppId,
  invalidId,
  nonInteger,
  range,
  stringEnum,
  validAppId,
  validId,
  validInt,
} from "../quota/test-support/check-properties";
import { seedMessageHandler } from "./handler";
import { MAX_WAIT_INTERVAL_SECONDS, MAX_WAIT_TIMEOUT_SECONDS, MIN_WAIT_INTERVAL_SECONDS, WHEN_INACTIVE_MODES } from "./schema";

jest.setTimeout(120000);

const staticsIncrease = {
  valid: fc.oneof(fc.nat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER)),
  invalid: fc.oneof(fc.integer({ max: -1 }), nonInteger),
};

const seedCase = fc.record({
  fields: fc.record({
    appId: field(validAppId, invalidAppId),
    groupId: field(validId, invalidId),
    senderId: field(validId, invalidId),
    body: field(byteLimited(MESSAGE_BODY_MAX_BYTES).valid, byteLimited(MESSAGE_BODY_MAX_BYTES).invalid),
    msgType: field(validInt, nonInteger),
    msgTid: field(validId, invalidId),
    senderMetaInfo: field(byteLimited(SENDER_META_MAX_BYTES).valid, byteLimited(SENDER_META_MAX_BYTES).invalid),
    weight: field(validInt, nonInteger),
    staticsIncrease: field(staticsIncrease.valid, staticsIncrease.invalid),
    noStorage: field(bool.valid, bool.invalid),
    noCache: field(bool.valid, bool.invalid),
    dataCenter: field(stringEnum(DATA_CENTERS).valid, stringEnum(DATA_CENTERS).invalid),
    whenInactive: field(stringEnum(WHEN_INACTIVE_MODES).valid, stringEnum(WHEN_INACTIVE_MODES).invalid),
    waitTimeoutSeconds: field(range(1, MAX_WAIT_TIMEOUT_SECONDS).valid, range(1, MAX_WAIT_TIMEOUT_SECONDS).invalid),
    waitIntervalSeconds: field(
      range(MIN_WAIT_INTERVAL_SECONDS, MAX_WAIT_INTERVAL_SECONDS).valid,
      range(MIN_WAIT_INTERVAL_SECONDS, MAX_WAIT_INTERVAL_SECONDS).invalid,
    ),
  }),
  extra: extraKey,
  resourceName: fc.string({ maxLength: 30 }),
});

const bag = (c: { fields: Parameters<typeof bagOf>[0]; extra: string | null; resourceName: string }) =>
  bagOf(c.fields, { __resourceName: c.resourceName, ...(c.extra ? { [c.extra]: true } : {}) });
const expected = (c: { fields: Parameters<typeof bagOf>[0]; extra: string | null }) => {
  const want = expectedFromFields(c.fields, ["appId", "groupId", "senderId"]);
  if (c.extra) want.add(c.extra);
  return want;
};

checkPropertySuite({
  resource: "SeedMessage",
  handler: seedMessageHandler,
  cases: seedCase,
  bag,
  expected,
  minValidShare: 1 / 20,
  // A valid input always leaves check with a msgTid: the user's, a derived one, or unknown until apply.
  inspect: (r, valid) => {
    if (valid) expect(typeof r.inputs.msgTid).toBe("string");
  },
});
