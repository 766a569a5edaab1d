// Credential lookup (spec §12): every source, precedence, the CLI profile file's modes, and error messages that
// name every place looked at.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveCredentialsError } from "./errors";
import { resolveCredentials } from "./credentials";
import { LiveClient } from "./live-client";

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** A fresh home directory, optionally with `.aliyun/config.json` holding `config` (an object or raw text). */
function home(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "livemsg-cred-"));
  homes.push(dir);
  if (config !== undefined) {
    mkdirSync(join(dir, ".aliyun"));
    writeFileSync(join(dir, ".aliyun", "config.json"), typeof config === "string" ? config : JSON.stringify(config));
  }
  return dir;
}

const cliConfig = {
  current: "main",
  profiles: [
    { name: "main", mode: "AK", access_key_id: "AK_MAIN", access_key_secret: "SK_MAIN", region_id: "cn-shanghai" },
    { name: "sts", mode: "StsToken", access_key_id: "AK_STS", access_key_secret: "SK_STS", sts_token: "TOKEN_STS" },
    { name: "role", mode: "RamRoleArn", access_key_id: "AK_R", access_key_secret: "SK_R", ram_role_arn: "acs:ram::1:role/x" },
    { name: "sso", mode: "CloudSSO" },
    { name: "nomode", access_key_id: "AK_NOMODE", access_key_secret: "SK_NOMODE" },
    { name: "halfsts", mode: "StsToken", access_key_id: "AK_H", access_key_secret: "SK_H" },
  ],
};

async function failure(p: Promise<unknown>): Promise<LiveCredentialsError> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LiveCredentialsError);
  return err as LiveCredentialsError;
}

describe("sources", () => {
  it("explicit options, with an optional STS token", async () => {
    const c = await resolveCredentials({ credentials: { accessKeyId: "AK1", accessKeySecret: "SK1", securityToken: "T1" }, env: {}, homeDir: home() });
    expect(c).toMatchObject({ accessKeyId: "AK1", accessKeySecret: "SK1", securityToken: "T1", source: "options" });
  });

  it.each([
    ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"],
    ["ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"],
    ["ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_SECURITY_TOKEN"],
  ])("environment %s / %s (+ %s)", async (idVar, secretVar, tokenVar) => {
    const plain = await resolveCredentials({ env: { [idVar]: "AKE", [secretVar]: "SKE" }, homeDir: home() });
    expect(plain).toMatchObject({ accessKeyId: "AKE", accessKeySecret: "SKE", source: "environment", detail: `environment (${idVar})` });
    expect(plain.securityToken).toBeUndefined();
    const sts = await resolveCredentials({ env: { [idVar]: "AKE", [secretVar]: "SKE", [tokenVar]: "TKE" }, homeDir: home() });
    expect(sts.securityToken).toBe("TKE");
  });

  it("the CLI profile named by `current`", async () => {
    const dir = home(cliConfig);
    const c = await resolveCredentials({ env: {}, homeDir: dir });
    expect(c).toMatchObject({ accessKeyId: "AK_MAIN", accessKeySecret: "SK_MAIN", source: "cli-profile" });
    expect(c.detail).toContain(`"main"`);
    expect(c.detail).toContain(join(dir, ".aliyun", "config.json"));
  });

  it("ALIBABA_CLOUD_PROFILE picks another profile; StsToken mode carries the token", async () => {
    const c = await resolveCredentials({ env: { ALIBABA_CLOUD_PROFILE: "sts" }, homeDir: home(cliConfig) });
    expect(c).toMatchObject({ accessKeyId: "AK_STS", accessKeySecret: "SK_STS", securityToken: "TOKEN_STS", source: "cli-profile" });
  });

  it("a profile without `mode` but with keys is read as AK; without `current` the profile `default` is used", async () => {
    const c = await resolveCredentials({ env: { ALIBABA_CLOUD_PROFILE: "nomode" }, homeDir: home(cliConfig) });
    expect(c).toMatchObject({ accessKeyId: "AK_NOMODE" });
    const d = await resolveCredentials({ env: {}, homeDir: home({ profiles: [{ name: "default", mode: "AK", access_key_id: "AK_D", access_key_secret: "SK_D" }] }) });
    expect(d.accessKeyId).toBe("AK_D");
  });
});

describe("precedence", () => {
  const everything = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: "AK_ENV1",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "SK_ENV1",
    ALICLOUD_ACCESS_KEY: "AK_ENV2",
    ALICLOUD_SECRET_KEY: "SK_ENV2",
    ALIBABACLOUD_ACCESS_KEY_ID: "AK_ENV3",
    ALIBABACLOUD_ACCESS_KEY_SECRET: "SK_ENV3",
  };

  it("options beat the environment, which beats the profile file", async () => {
    const dir = home(cliConfig);
    expect((await resolveCredentials({ credentials: { accessKeyId: "AK_OPT", accessKeySecret: "SK_OPT" }, env: everything, homeDir: dir })).accessKeyId).toBe("AK_OPT");
    expect((await resolveCredentials({ env: everything, homeDir: dir })).accessKeyId).toBe("AK_ENV1");
    expect((await resolveCredentials({ env: { ...everything, ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "" }, homeDir: dir })).accessKeyId).toBe("AK_ENV2");
    expect((await resolveCredentials({ env: { ALIBABACLOUD_ACCESS_KEY_ID: "AK_ENV3", ALIBABACLOUD_ACCESS_KEY_SECRET: "SK_ENV3" }, homeDir: dir })).accessKeyId).toBe("AK_ENV3");
    expect((await resolveCredentials({ env: {}, homeDir: dir })).accessKeyId).toBe("AK_MAIN");
  });

  it("all-empty explicit options count as not given", async () => {
    const c = await resolveCredentials({ credentials: { accessKeyId: "", accessKeySecret: "" }, env: everything, homeDir: home() });
    expect(c.accessKeyId).toBe("AK_ENV1");
  });

  it("a token never crosses sources: env credentials do not pick up a token from another family", async () => {
    const c = await resolveCredentials({ env: { ALICLOUD_ACCESS_KEY: "A", ALICLOUD_SECRET_KEY: "S", ALIBABA_CLOUD_SECURITY_TOKEN: "T" }, homeDir: home() });
    expect(c.securityToken).toBeUndefined();
  });

  it("ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true skips the file", async () => {
    const err = await failure(resolveCredentials({ env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "TRUE" }, homeDir: home(cliConfig) }));
    expect(err.message).toContain("skipped because ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true");
  });
});

describe("errors", () => {
  it("nothing found: the message names every place looked at, and how to fix it", async () => {
    const dir = home();
    const err = await failure(resolveCredentials({ env: {}, homeDir: dir }));
    for (const place of [
      "explicit credentials",
      "livemessage:accessKeyId",
      "ALIBABA_CLOUD_ACCESS_KEY_ID + ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "ALICLOUD_ACCESS_KEY + ALICLOUD_SECRET_KEY",
      "ALIBABACLOUD_ACCESS_KEY_ID + ALIBABACLOUD_ACCESS_KEY_SECRET",
      `${join(dir, ".aliyun", "config.json")}: not found`,
      "aliyun configure",
      "pulumi config set --secret livemessage:accessKeySecret",
    ]) {
      expect(err.message).toContain(place);
    }
    expect(err.searched).toHaveLength(5);
    expect(err.code).toBe("LIVEMSG_NO_CREDENTIALS");
  });

  it.each([
    [{ ALIBABA_CLOUD_ACCESS_KEY_ID: "AK" }, "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"],
    [{ ALIBABA_CLOUD_ACCESS_KEY_SECRET: "SK" }, "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not"],
    [{ ALICLOUD_ACCESS_KEY: "AK" }, "ALICLOUD_ACCESS_KEY is set but ALICLOUD_SECRET_KEY is not"],
    [{ ALIBABACLOUD_ACCESS_KEY_SECRET: "SK" }, "ALIBABACLOUD_ACCESS_KEY_SECRET is set but ALIBABACLOUD_ACCESS_KEY_ID is not"],
  ])("half-set environment pair %j is an error, not skipped", async (env, text) => {
    const err = await failure(resolveCredentials({ env, homeDir: home(cliConfig) }));
    expect(err.message).toContain(text);
    expect(err.message).toContain("Places looked at");
  });

  it("half-set explicit options are an error", async () => {
    const err = await failure(resolveCredentials({ credentials: { accessKeyId: "AK" }, env: {}, homeDir: home(cliConfig) }));
    expect(err.message).toContain("accessKeySecret is missing");
  });

  it.each([
    ["role", "RamRoleArn"],
    ["sso", "CloudSSO"],
  ])("profile %s with unsupported mode %s: says so and what to use", async (name, mode) => {
    const err = await failure(resolveCredentials({ env: { ALIBABA_CLOUD_PROFILE: name }, homeDir: home(cliConfig) }));
    expect(err.message).toContain(`uses mode "${mode}"`);
    expect(err.message).toContain("only AK and StsToken profiles");
    expect(err.message).toContain("ALIBABA_CLOUD_PROFILE");
  });

  it("a StsToken profile without sts_token, a missing profile, an unreadable or invalid file", async () => {
    expect((await failure(resolveCredentials({ env: { ALIBABA_CLOUD_PROFILE: "halfsts" }, homeDir: home(cliConfig) }))).message).toContain("has no sts_token");
    const missing = await failure(resolveCredentials({ env: { ALIBABA_CLOUD_PROFILE: "nope" }, homeDir: home(cliConfig) }));
    expect(missing.message).toContain(`profile "nope" does not exist`);
    expect(missing.message).toContain("main, sts, role, sso, nomode, halfsts");
    expect((await failure(resolveCredentials({ env: {}, homeDir: home("not json") }))).message).toContain("not valid JSON");
    const dirAsFile = home();
    mkdirSync(join(dirAsFile, ".aliyun", "config.json"), { recursive: true });
    expect((await failure(resolveCredentials({ env: {}, homeDir: dirAsFile }))).message).toContain("cannot be read");
  });
});

describe("in the client: lazy, cached, retried after a failure", () => {
  it("resolves on first use from the injected env and home, caches the result, and does not cache a failure", async () => {
    const env: NodeJS.ProcessEnv = {};
    const client = new LiveClient({ env, homeDir: home(), rateLimit: false });
    await expect(client.resolveCredentials()).rejects.toBeInstanceOf(LiveCredentialsError);
    env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AK_LATE";
    env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "SK_LATE";
    expect(await client.resolveCredentials()).toEqual({ accessKeyId: "AK_LATE", source: "environment", detail: "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)" });
    env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AK_CHANGED";
    expect((await client.resolveCredentials()).accessKeyId).toBe("AK_LATE");
  });

  it("a call without credentials fails with LiveCredentialsError before any request", async () => {
    const client = new LiveClient({ endpoint: "http://127.0.0.1:9", env: {}, homeDir: home(), rateLimit: false });
    await expect(client.call("ClientTestAction", {})).rejects.toBeInstanceOf(LiveCredentialsError);
  });
});
