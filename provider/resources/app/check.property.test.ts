// Property test of `App` check (issue 5): ≥ 10,000 generated inputs; every invalid one fails on the right property,
// no valid one fails, and no API call is made.
import fc from "fast-check";
import { APP_NAME_MAX_CHARS, APP_NAME_MIN_CHARS, AUDIT_TYPES, DATA_CENTERS, MSG_LIFE_CYCLES } from "../../limits";
import {
  checkPropertySuite,
  bagOf,
  bool,
  expectedFromFields,
  extraKey,
  field,
  intEnum,
  invalidUrl,
  stringEnum,
  validUrl,
  wrongType,
  type FieldCase,
} from "../quota/test-support/check-properties";
import { UNKNOWN } from "../unknown";
import { appHandler } from "./handler";

jest.setTimeout(120000);

const appName = {
  valid: fc.string({ unit: "binary", minLength: APP_NAME_MIN_CHARS, maxLength: APP_NAME_MAX_CHARS }),
  invalid: fc.oneof(
    fc.string({ unit: "binary", maxLength: APP_NAME_MIN_CHARS - 1 }),
    fc.string({ unit: "binary", minLength: APP_NAME_MAX_CHARS + 1, maxLength: 40 }),
    fc.constant("聊".repeat(APP_NAME_MAX_CHARS + 1)),
    wrongType("string"),
  ),
};
const url = { valid: fc.oneof(validUrl, fc.constant("")), invalid: invalidUrl };

const appCase = fc.record({
  fields: fc.record({
    appName: field(appName.valid, appName.invalid),
    dataCenter: field(stringEnum(DATA_CENTERS).valid, stringEnum(DATA_CENTERS).invalid),
    msgLifeCycle: field(intEnum(MSG_LIFE_CYCLES).valid, intEnum(MSG_LIFE_CYCLES).invalid),
    auditType: field(intEnum(AUDIT_TYPES).valid, intEnum(AUDIT_TYPES).invalid),
    auditUrl: field(url.valid, url.invalid),
    eventCallbackUrl: field(url.valid, url.invalid),
    disabled: field(bool.valid, bool.invalid),
  }),
  extra: extraKey,
  // Half of the cases pair a valid auditType with a matching auditUrl, so that valid inputs are common too.
  coherent: fc.boolean(),
  hook: validUrl,
}).map(({ fields, extra, coherent, hook }) => {
  const t = fields.auditType;
  if (!coherent || t.kind !== "valid") return { fields, extra };
  const auditUrl: FieldCase = t.value === 2 ? { kind: "valid", value: hook } : { kind: "omit", value: undefined };
  return { fields: { ...fields, auditUrl }, extra };
});

/** The oracle: per-field validity plus the auditType/auditUrl rule (§3.1), skipped while either is unknown. */
function expected(fields: Record<string, FieldCase>, extra: string | null): Set<string> {
  const bad = expectedFromFields(fields, []);
  if (extra) bad.add(extra);
  const type = fields.auditType!.value ?? 0;
  const url = fields.auditUrl!.value ?? "";
  if (type !== UNKNOWN && url !== UNKNOWN) {
    if ((type === 2 && url === "") || (type !== 2 && url !== "")) bad.add("auditUrl");
  }
  return bad;
}

checkPropertySuite({
  resource: "App",
  handler: appHandler,
  cases: appCase,
  bag: ({ fields, extra }) => bagOf(fields, extra ? { [extra]: 1 } : {}),
  expected: ({ fields, extra }) => expected(fields, extra),
  minValidShare: 1 / 10,
});
