// Property test of `Group` check (issue 5): ≥ 10,000 generated inputs; every invalid one fails on the right property,
// no valid one fails, and no API call is made.
import fc from "fast-check";
import { DATA_CENTERS, GROUP_INFO_MAX_BYTES, GROUP_NAME_MAX_BYTES, MAX_ADMINISTRATORS } from "../../limits";
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
  stringEnum,
  validAppId,
  validId,
  wrongType,
} from "../quota/test-support/check-properties";
import { groupHandler } from "./handler";

jest.setTimeout(120000);

const administrators = {
  valid: fc.uniqueArray(validId, { maxLength: MAX_ADMINISTRATORS }),
  invalid: fc.oneof(
    fc.uniqueArray(validId, { minLength: MAX_ADMINISTRATORS + 1, maxLength: MAX_ADMINISTRATORS + 3 }),
    validId.map((id) => [id, id]),
    fc.tuple(fc.uniqueArray(validId, { maxLength: MAX_ADMINISTRATORS - 1 }), invalidId, fc.nat()).map(([ids, bad, at]) => {
      const i = at % (ids.length + 1);
      return [...ids.slice(0, i), bad, ...ids.slice(i)];
    }),
    fc.constantFrom([null], "ops1,ops2"),
    wrongType("array"),
  ),
};
const creatorId = { valid: fc.oneof(validId, fc.constant("")), invalid: invalidId.filter((v) => v !== "") };

const groupCase = fc.record({
  fields: fc.record({
    appId: field(validAppId, invalidAppId),
    groupId: field(validId, invalidId),
    groupName: field(byteLimited(GROUP_NAME_MAX_BYTES).valid, byteLimited(GROUP_NAME_MAX_BYTES).invalid),
    groupInfo: field(byteLimited(GROUP_INFO_MAX_BYTES).valid, byteLimited(GROUP_INFO_MAX_BYTES).invalid),
    administrators: field(administrators.valid, administrators.invalid),
    creatorId: field(creatorId.valid, creatorId.invalid),
    dataCenter: field(stringEnum(DATA_CENTERS).valid, stringEnum(DATA_CENTERS).invalid),
    adopt: field(bool.valid, bool.invalid),
    recoverDeleted: field(bool.valid, bool.invalid),
  }),
  extra: extraKey,
  resourceName: fc.string({ maxLength: 30 }),
});

const bag = (c: { fields: Parameters<typeof bagOf>[0]; extra: string | null; resourceName: string }) =>
  bagOf(c.fields, { __resourceName: c.resourceName, ...(c.extra ? { [c.extra]: true } : {}) });
const expected = (c: { fields: Parameters<typeof bagOf>[0]; extra: string | null }) => {
  const want = expectedFromFields(c.fields, ["appId"]);
  if (c.extra) want.add(c.extra);
  return want;
};

checkPropertySuite({
  resource: "Group",
  handler: groupHandler,
  cases: groupCase,
  bag,
  expected,
  minValidShare: 1 / 10,
  // A generated groupId is checked against the app's live and deleted groups (README "Design notes").
  mayLookUp: (c) => bag(c).groupId == null, // omitted or null: generated
});
