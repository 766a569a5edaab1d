// Secret redaction: with a recognisable AccessKeySecret and STS token, no error (message, JSON.stringify, String,
// util.inspect — cause chains included), no logger event and no inspected client ever shows the secret, the token
// or a computed signature — even when a hostile server or proxy echoes the whole request back.
import { inspect } from "node:util";
import { MockAgent } from "undici";
import { LiveCredentialsError } from "./errors";
import { resolveCredentials } from "./credentials";
import { LiveClient, type ClientLogEvent } from "./live-client";
import { percentEncode } from "./signature";
import { decodeQuery } from "./test-support/verify-signature";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SECRET = "SeCrEt-KEY/with+odd=chars*~";
const TOKEN = "STS.tok/en+with=chars&more";
const ORIGIN = "https://live.aliyuncs.com";

interface Seen {
  signatures: string[];
}

/** Every spelling of a value that could leak: raw, URL-encoded once or twice, base64 of it. */
function forms(value: string): string[] {
  const once = percentEncode(value);
  return [value, once, percentEncode(once), encodeURIComponent(value)];
}

function expectClean(text: string, seen: Seen): void {
  for (const s of [...forms(SECRET), ...forms(TOKEN), ...seen.signatures.flatMap(forms)]) expect(text).not.toContain(s);
}

function renderings(err: unknown): string[] {
  return [
    String(err),
    (err as Error).message,
    JSON.stringify(err),
    inspect(err, { depth: 10, showHidden: true }),
    (err as Error).stack ?? "",
  ];
}

type Echo = (path: string, headers: Record<string, string>) => { status: number; body: string; headers?: Record<string, string> };

function hostileClient(signatureVersion: "v3" | "v1", echo: Echo, times = 1) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const seen: Seen = { signatures: [] };
  agent
    .get(ORIGIN)
    .intercept({ path: () => true, method: () => true })
    .reply((opts) => {
      const headers = opts.headers as Record<string, string>;
      const q = decodeQuery(opts.path);
      if (q.Signature) seen.signatures.push(q.Signature);
      const m = /Signature=([0-9a-f]+)/.exec(headers.authorization ?? "");
      if (m) seen.signatures.push(m[1]!);
      const r = echo(opts.path, headers);
      return { statusCode: r.status, data: r.body, responseOptions: { headers: r.headers ?? { "content-type": "application/json" } } };
    })
    .times(times);
  const events: ClientLogEvent[] = [];
  const client = new LiveClient({
    endpoint: ORIGIN,
    credentials: { accessKeyId: `AKRED${signatureVersion}`, accessKeySecret: SECRET, securityToken: TOKEN },
    signatureVersion,
    dispatcher: agent,
    rateLimit: false,
    retry: { maxAttempts: times, baseDelayMs: 1, maxDelayMs: 1 },
    logger: (e) => events.push(e),
  });
  return { client, seen, events };
}

describe.each(["v3", "v1"] as const)("%s", (signatureVersion) => {
  it("SignatureDoesNotMatch echoing the string-to-sign, the URL, every header and the secret itself", async () => {
    const { client, seen, events } = hostileClient(signatureVersion, (path, headers) => ({
      status: 400,
      body: JSON.stringify({
        RequestId: "R1",
        Code: "SignatureDoesNotMatch",
        // A V1 server string-to-sign carries SecurityToken percent-encoded twice; we add everything else too.
        Message: `Specified signature is not matched with our calculation. server string to sign is:POST&%2F&${percentEncode(
          decodeURIComponent(path.slice(2)),
        )} headers=${JSON.stringify(headers)} secret=${SECRET} token=${TOKEN}`,
        Recommend: `https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&url=${encodeURIComponent(path)}`,
      }),
    }));
    const err = await client.call("RedactionTestAction", { AppId: "a" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LiveApiError", code: "SignatureDoesNotMatch" });
    expect(seen.signatures).toHaveLength(1);
    // The server's message is kept (it helps debugging) — only the secrets are cut out.
    expect((err as Error).message).toContain("server string to sign is:");
    expect((err as Error).message).toContain("[REDACTED]");
    for (const text of renderings(err)) expectClean(text, seen);
    expectClean(JSON.stringify(events), seen);
  });

  it("a proxy's HTML error page echoing the request, retried until it gives up", async () => {
    const { client, seen, events } = hostileClient(
      signatureVersion,
      (path, headers) => ({
        status: 502,
        body: `<html><body><h1>Bad Gateway</h1><pre>POST ${path}\nAuthorization: ${headers.authorization ?? ""}\nx-acs-security-token: ${TOKEN}</pre></body></html>`,
        headers: { "content-type": "text/html" },
      }),
      3,
    );
    const err = await client.call("RedactionTestAction", { AppId: "a" }, { retrySafety: "idempotent" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LiveApiError", code: "HttpError502" });
    expect(seen.signatures).toHaveLength(3);
    for (const text of renderings(err)) expectClean(text, seen);
    expectClean(JSON.stringify(events), seen);
  });

  it("a transport error whose message quotes the request", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get(ORIGIN)
      .intercept({ path: () => true, method: () => true })
      .replyWithError(Object.assign(new Error(`socket hang up while sending token ${TOKEN} with secret ${SECRET}`), { code: "ECONNRESET" }));
    const client = new LiveClient({
      endpoint: ORIGIN,
      credentials: { accessKeyId: "AKRED", accessKeySecret: SECRET, securityToken: TOKEN },
      signatureVersion,
      dispatcher: agent,
      rateLimit: false,
      retry: false,
    });
    const err = await client.call("RedactionTestAction", {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LiveNetworkError" });
    expect((err as Error).cause).toMatchObject({ code: "ECONNRESET" });
    for (const text of renderings(err)) expectClean(text, { signatures: [] });
  });

  it("the client object itself: inspect and JSON show no secret, even after credentials are resolved", async () => {
    const { client, seen } = hostileClient(signatureVersion, () => ({ status: 200, body: JSON.stringify({ RequestId: "ok" }) }));
    await client.call("RedactionTestAction", {});
    await client.resolveCredentials();
    expectClean(inspect(client, { depth: 10, showHidden: true }), seen);
    expectClean(JSON.stringify(client), seen);
    expectClean(JSON.stringify(await client.resolveCredentials()), seen);
  });
});

describe("credentials", () => {
  it("resolved credentials render without the secret or token", async () => {
    const creds = await resolveCredentials({ credentials: { accessKeyId: "AK", accessKeySecret: SECRET, securityToken: TOKEN }, env: {} });
    expect(creds.accessKeySecret).toBe(SECRET);
    expectClean(JSON.stringify(creds), { signatures: [] });
    expectClean(inspect(creds, { depth: 5 }), { signatures: [] });
  });

  it("a broken profile file is named, its content never quoted", async () => {
    const home = mkdtempSync(join(tmpdir(), "livemsg-redact-"));
    mkdirSync(join(home, ".aliyun"));
    writeFileSync(join(home, ".aliyun", "config.json"), `{"profiles":[{"name":"default","mode":"AK","access_key_secret":"${SECRET}",}]`);
    const err = await resolveCredentials({ env: {}, homeDir: home }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveCredentialsError);
    expect((err as Error).message).toContain("not valid JSON");
    for (const text of renderings(err)) expectClean(text, { signatures: [] });
  });

  it("a half-set pair names the variables, never their values", async () => {
    const err = await resolveCredentials({ env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveCredentialsError);
    for (const text of renderings(err)) expectClean(text, { signatures: [] });
  });
});
