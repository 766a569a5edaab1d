/**
 * Credential lookup (spec §12), written here rather than taken from `@alicloud/credentials`, whose default chain
 * calls ECS metadata and credential URIs over the network.
 *
 * Order; the first complete source wins:
 *   1. explicit options (`LiveClientOptions.credentials`, fed from stack config by the provider);
 *   2. environment: ALIBABA_CLOUD_* , then the ALICLOUD_* and ALIBABACLOUD_* aliases (Terraform's spellings);
 *   3. the Aliyun CLI profile file `~/.aliyun/config.json` (profile ALIBABA_CLOUD_PROFILE, else `current`),
 *      modes AK and StsToken; skipped when ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true.
 * A half-set pair (an ID without its secret, or the reverse) is an error, never silently skipped. No error
 * message ever contains a secret, a token, or the profile file's content.
 */
import { readFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import { LiveCredentialsError } from "./errors";

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token, for temporary credentials. */
  securityToken?: string;
}

export type CredentialSource = "options" | "environment" | "cli-profile";

export interface ResolvedCredentials extends Credentials {
  source: CredentialSource;
  /** Human-readable origin, e.g. `environment (ALIBABA_CLOUD_ACCESS_KEY_ID)`; never a secret. */
  detail: string;
}

export interface CredentialLookupOptions {
  /** Explicit credentials; all-empty means "not given". */
  credentials?: Partial<Credentials>;
  /** Environment to read; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Home directory holding `.aliyun/config.json`; defaults to `os.homedir()`. */
  homeDir?: string;
}

/** Environment variable families, in precedence order (spec §12). */
export const CREDENTIAL_ENV_FAMILIES = [
  { id: "ALIBABA_CLOUD_ACCESS_KEY_ID", secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET", token: "ALIBABA_CLOUD_SECURITY_TOKEN" },
  { id: "ALICLOUD_ACCESS_KEY", secret: "ALICLOUD_SECRET_KEY", token: "ALICLOUD_SECURITY_TOKEN" },
  { id: "ALIBABACLOUD_ACCESS_KEY_ID", secret: "ALIBABACLOUD_ACCESS_KEY_SECRET", token: "ALIBABACLOUD_SECURITY_TOKEN" },
] as const;

export const PROFILE_ENV = "ALIBABA_CLOUD_PROFILE";
export const PROFILE_DISABLED_ENV = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/** Profile modes we can use without network calls; the others need STS/ECS/OIDC/SSO round trips. */
export const SUPPORTED_PROFILE_MODES = ["AK", "StsToken"] as const;

const FIX_HINT =
  "Fix it with one of: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
  "(plus ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials); run `aliyun configure --mode AK`; or set the stack " +
  "config `pulumi config set livemessage:accessKeyId <id>` and `pulumi config set --secret livemessage:accessKeySecret <secret>`. " +
  "Against the local emulator, use its documented test keys.";

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

class Lookup {
  readonly searched: string[] = [];

  fail(headline: string): never {
    const list = this.searched.map((s, i) => `  ${i + 1}. ${s}`).join("\n");
    throw new LiveCredentialsError(`${headline}\nPlaces looked at, in order:\n${list}\n${FIX_HINT}`, [...this.searched]);
  }
}

/** Freezes the result and keeps the secret out of `JSON.stringify` and `util.inspect`. */
function finish(creds: Credentials, source: CredentialSource, detail: string): ResolvedCredentials {
  const result: ResolvedCredentials = { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, source, detail };
  if (creds.securityToken) result.securityToken = creds.securityToken;
  const publicView = (): Record<string, unknown> => ({
    accessKeyId: result.accessKeyId,
    accessKeySecret: "[REDACTED]",
    ...(result.securityToken ? { securityToken: "[REDACTED]" } : {}),
    source,
    detail,
  });
  Object.defineProperty(result, "toJSON", { value: publicView, enumerable: false });
  Object.defineProperty(result, inspect.custom, { value: () => publicView(), enumerable: false });
  return Object.freeze(result);
}

/** Resolves credentials from the first complete source (see the module comment). */
export async function resolveCredentials(options: CredentialLookupOptions = {}): Promise<ResolvedCredentials> {
  const env = options.env ?? process.env;
  const lookup: Lookup = new Lookup();

  // 1. Explicit options.
  const explicitPlace = "explicit credentials (client option `credentials`, or stack config livemessage:accessKeyId / livemessage:accessKeySecret)";
  const given = options.credentials;
  const givenId = nonEmpty(given?.accessKeyId);
  const givenSecret = nonEmpty(given?.accessKeySecret);
  if (givenId || givenSecret) {
    lookup.searched.push(`${explicitPlace}: ${givenId ? "accessKeyId set" : "accessKeyId missing"}, ${givenSecret ? "accessKeySecret set" : "accessKeySecret missing"}`);
    if (!givenId || !givenSecret) {
      lookup.fail(`Incomplete credentials: ${givenId ? "accessKeySecret" : "accessKeyId"} is missing from the explicit credentials.`);
    }
    return finish({ accessKeyId: givenId, accessKeySecret: givenSecret, securityToken: nonEmpty(given?.securityToken) }, "options", "explicit options");
  }
  lookup.searched.push(`${explicitPlace}: not set`);

  // 2. Environment variables, family by family.
  for (const family of CREDENTIAL_ENV_FAMILIES) {
    const id = nonEmpty(env[family.id]);
    const secret = nonEmpty(env[family.secret]);
    const place = `environment variables ${family.id} + ${family.secret} (optional ${family.token})`;
    if (!id && !secret) {
      lookup.searched.push(`${place}: not set`);
      continue;
    }
    if (!id || !secret) {
      lookup.searched.push(`${place}: only ${id ? family.id : family.secret} is set`);
      lookup.fail(`Incomplete credentials: ${id ? family.id : family.secret} is set but ${id ? family.secret : family.id} is not.`);
    }
    return finish({ accessKeyId: id, accessKeySecret: secret, securityToken: nonEmpty(env[family.token]) }, "environment", `environment (${family.id})`);
  }

  // 3. Aliyun CLI profile file.
  const home = options.homeDir ?? os.homedir();
  const file = path.join(home, ".aliyun", "config.json");
  const filePlace = `Aliyun CLI profile file ${file}`;
  if ((env[PROFILE_DISABLED_ENV] ?? "").toLowerCase() === "true") {
    lookup.searched.push(`${filePlace}: skipped because ${PROFILE_DISABLED_ENV}=true`);
    lookup.fail("No Alibaba Cloud credentials found.");
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      lookup.searched.push(`${filePlace}: not found`);
      lookup.fail("No Alibaba Cloud credentials found.");
    }
    lookup.searched.push(`${filePlace}: unreadable (${typeof code === "string" ? code : "error"})`);
    lookup.fail(`The Aliyun CLI profile file ${file} exists but cannot be read.`);
  }
  const profile = pickProfile(text, file, env, lookup, filePlace);
  return finish(profile.creds, "cli-profile", `Aliyun CLI profile "${profile.name}" in ${file}`);
}

interface CliProfile {
  name?: unknown;
  mode?: unknown;
  access_key_id?: unknown;
  access_key_secret?: unknown;
  sts_token?: unknown;
}

function pickProfile(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv,
  lookup: Lookup,
  filePlace: string,
): { name: string; creds: Credentials } {
  let config: { current?: unknown; profiles?: unknown };
  try {
    config = JSON.parse(text) as typeof config;
  } catch {
    // The parser's message quotes the content, which holds secrets: say only that it is not JSON.
    lookup.searched.push(`${filePlace}: not valid JSON`);
    lookup.fail(`The Aliyun CLI profile file ${file} is not valid JSON.`);
  }
  const profiles: CliProfile[] = Array.isArray(config?.profiles)
    ? (config.profiles as unknown[]).filter((p): p is CliProfile => typeof p === "object" && p !== null)
    : [];
  const fromEnv = nonEmpty(env[PROFILE_ENV]);
  const name = fromEnv ?? nonEmpty(config?.current) ?? "default";
  const why = fromEnv ? `${PROFILE_ENV}=${name}` : config?.current ? `"current" in the file` : "the default name";
  const profile = profiles.find((p) => p.name === name);
  if (!profile) {
    const names = profiles.map((p) => String(p.name)).join(", ") || "none";
    lookup.searched.push(`${filePlace}: no profile "${name}" (chosen by ${why}; profiles in the file: ${names})`);
    lookup.fail(`The Aliyun CLI profile "${name}" does not exist in ${file}.`);
  }
  // The CLI writes `mode`; a hand-written profile with keys but no mode is read as AK.
  const mode = nonEmpty(profile.mode) ?? (profile.access_key_id !== undefined ? "AK" : "");
  if (!(SUPPORTED_PROFILE_MODES as readonly string[]).includes(mode)) {
    lookup.searched.push(`${filePlace}: profile "${name}" has mode ${mode ? `"${mode}"` : "(none)"}`);
    lookup.fail(
      `The Aliyun CLI profile "${name}" in ${file} uses mode ${mode ? `"${mode}"` : "(none)"}, which this provider does not support: ` +
        `only ${SUPPORTED_PROFILE_MODES.join(" and ")} profiles are read (other modes need network calls to STS/ECS/SSO). ` +
        `Choose an AK or StsToken profile with ${PROFILE_ENV}, or export temporary keys as environment variables.`,
    );
  }
  const id = nonEmpty(profile.access_key_id);
  const secret = nonEmpty(profile.access_key_secret);
  const token = nonEmpty(profile.sts_token);
  const missing = [!id && "access_key_id", !secret && "access_key_secret", mode === "StsToken" && !token && "sts_token"].filter(
    (m): m is string => typeof m === "string",
  );
  if (missing.length > 0) {
    lookup.searched.push(`${filePlace}: profile "${name}" (mode ${mode}) lacks ${missing.join(", ")}`);
    lookup.fail(`Incomplete credentials: the Aliyun CLI profile "${name}" in ${file} has no ${missing.join(", ")}.`);
  }
  return { name, creds: { accessKeyId: id!, accessKeySecret: secret!, securityToken: mode === "StsToken" ? token : undefined } };
}
