/**
 * Client benchmark: N concurrent calls of one action through one LiveClient against a server that enforces the
 * documented 50 requests per second per (AccessKeyId, Action) — the loopback test server (signature-verifying) and
 * the emulator with throttling on. Prints JSON: elapsed time, the QPS-bound time, their ratio, and how many calls
 * the server throttled (the limiter's job is zero). Never fails on time.
 *
 *     node -r ./emulator/test-support/register-ts.js bench/client/run.ts [--calls 300]
 */
import { DEFAULT_CREDENTIALS, startEmulator } from "../../emulator";
import { DEFAULT_QPS } from "../../provider/limits";
import { LiveClient } from "../../provider/client/live-client";
import { startLoopbackServer } from "../../provider/client/test-support/loopback-server";

const callsArg = process.argv.indexOf("--calls");
const CALLS = callsArg > 0 ? Number(process.argv[callsArg + 1]) : 300;

interface Figures {
  server: string;
  signatureVersion: "v3" | "v1";
  calls: number;
  qps: number;
  elapsedMs: number;
  /** CALLS / QPS seconds: the time the budget allows for the calls. */
  qpsBoundMs: number;
  ratio: number;
  failed: number;
  throttledRetries: number;
}

async function run(server: string, url: string, accessKeyId: string, accessKeySecret: string, action: string, params: Record<string, string>, signatureVersion: "v3" | "v1"): Promise<Figures> {
  let throttledRetries = 0;
  const client = new LiveClient({
    endpoint: url,
    credentials: { accessKeyId, accessKeySecret },
    signatureVersion,
    logger: (e) => {
      if (e.type === "retry" && /Throttling/.test(e.reason)) throttledRetries++;
    },
  });
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: CALLS }, () => client.call(action, params)));
  const elapsedMs = Math.round(performance.now() - started);
  await client.close();
  const qpsBoundMs = (CALLS / DEFAULT_QPS) * 1000;
  return {
    server,
    signatureVersion,
    calls: CALLS,
    qps: DEFAULT_QPS,
    elapsedMs,
    qpsBoundMs,
    ratio: Number((elapsedMs / qpsBoundMs).toFixed(3)),
    failed: results.filter((r) => r.status === "rejected").length,
    throttledRetries,
  };
}

async function main(): Promise<void> {
  const out: Figures[] = [];
  // Separate keys per run: the limiter is process-wide per (AccessKeyId, Action).
  const loop = await startLoopbackServer({ secrets: { benchv3: "s3", benchv1: "s1" } });
  // The loopback server answers `{ RequestId }` only: an action the client has no response schema for.
  out.push(await run("loopback", loop.url, "benchv3", "s3", "BenchAction", { AppId: "a" }, "v3"));
  out.push(await run("loopback", loop.url, "benchv1", "s1", "BenchAction", { AppId: "a" }, "v1"));
  const serverSide = { throttled: loop.throttled, rejectedSignatures: loop.rejectedSignatures, maxInWindow: Object.fromEntries(loop.maxInWindow) };
  await loop.stop();

  const emu = await startEmulator({ port: 0, credentials: [DEFAULT_CREDENTIALS, { accessKeyId: "benchkey2", accessKeySecret: "benchsecret2" }] });
  const setup = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
  const appId = ((await setup.call("CreateLiveMessageApp", { AppName: "bench" })) as { AppId: string }).AppId;
  await setup.call("CreateLiveMessageGroup", { AppId: appId, GroupId: "g1" });
  await setup.close();
  out.push(await run("emulator", emu.url, DEFAULT_CREDENTIALS.accessKeyId, DEFAULT_CREDENTIALS.accessKeySecret, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }, "v3"));
  await emu.stop();
  console.log(JSON.stringify({ benchmark: "client-rate-limit", node: process.version, results: out, loopbackServer: serverSide }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
