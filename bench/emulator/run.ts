/**
 * Emulator benchmark. Prints JSON; never fails on time. Sections (all by default, or `--only a,b`):
 *
 * - `throughput`: signed (V3) requests per second over loopback with keep-alive at a few concurrency levels, in
 *   memory mode and in dataDir mode (fsync group commit);
 * - `sustained`: full-load reads for `--duration` seconds (default 60): requests per second per 10 s window, the
 *   last minute against the first (nonce eviction must stay constant-time: within 10 %), server CPU per request;
 * - `loaded`: memory (RSS) with 5,000 groups and 100,000 stored messages, restart (replay) time, read latency;
 * - `compaction`: on that loaded data directory, latency of reads and writes while compactions run (the worker
 *   thread keeps them off the request path: no pause over 50 ms, p99.9 ≤ 20 ms), and the server's event-loop delay.
 *
 *     node -r ./emulator/test-support/register-ts.js bench/emulator/run.ts [--quick] [--dist] [--only sustained] [--duration 600]
 *
 * `--dist` runs the built CLI (`npm run build` first) instead of the TypeScript source through swc; the source mode
 * adds the swc compiler (tens of MB) to the emulator's RSS.
 *
 * The emulator runs in a child process (the CLI, throttling off) so the load generator does not share its event
 * loop; on a 2-core machine client and server still share the CPU, so the figures are a lower bound.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent } from "undici";
import { MAX_REMEMBERED_NONCES, NonceCache } from "../../emulator/auth";
import { DEFAULT_CREDENTIALS } from "../../emulator/server";
import { admin, callV3, prepareV3, send, type PreparedRequest } from "../../emulator/test-support/client";
import { spawnCli, waitForUrl, type SpawnedCli } from "../../emulator/test-support/spawn-cli";

const quick = process.argv.includes("--quick");
const dist = process.argv.includes("--dist");
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const ONLY = new Set((arg("only") ?? "throughput,sustained,loaded,compaction").split(","));
const DURATION_S = Number(arg("duration") ?? (quick ? 20 : 60));
const SUSTAINED_CONCURRENCY = Number(arg("concurrency") ?? 32);
const key = DEFAULT_CREDENTIALS;
const CONCURRENCY = quick ? [1, 16] : [1, 8, 32, 64];
const REQUESTS_PER_LEVEL = quick ? 2_000 : 10_000;
const LOAD_GROUPS = quick ? 500 : 5_000;
const LOAD_MESSAGES = quick ? 10_000 : 100_000;
/** Groups per app stay under the 5,000 live-group quota (spec §2.4). */
const GROUPS_PER_APP = 4_000;

interface LevelResult {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Emulator process CPU (user + system) per request, and the rate one core of it could sustain. */
  serverCpuMicrosPerRequest?: number;
  serverRequestsPerCpuSecond?: number;
}

async function serverCpu(url: string): Promise<number> {
  const cpu = (await admin(url, "GET", "/health")).json.cpuMicros as { user: number; system: number };
  return cpu.user + cpu.system;
}

/** Like `level`, with requests signed before the timed loop, plus the emulator's CPU cost per request. */
async function signedLevel(url: string, agent: Agent, concurrency: number, prepared: readonly PreparedRequest[]): Promise<LevelResult> {
  const cpuBefore = await serverCpu(url);
  const r = await level(concurrency, prepared.length, async (i) => (await send(prepared[i]!, agent)).status);
  const cpuMicros = (await serverCpu(url)) - cpuBefore;
  return {
    ...r,
    serverCpuMicrosPerRequest: Math.round(cpuMicros / prepared.length),
    serverRequestsPerCpuSecond: Math.round((prepared.length * 1e6) / cpuMicros),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `total` calls with `concurrency` workers; `call(i)` returns the HTTP status. */
async function level(concurrency: number, total: number, call: (i: number) => Promise<number>): Promise<LevelResult> {
  const latencies = new Float64Array(total);
  let next = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t = process.hrtime.bigint();
        let status = 0;
        try {
          status = await call(i);
        } catch {
          status = 0;
        }
        latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  return {
    concurrency,
    requests: total,
    errors,
    seconds: round(seconds),
    requestsPerSecond: Math.round(total / seconds),
    p50Ms: round(percentile(latencies, 50), 3),
    p99Ms: round(percentile(latencies, 99), 3),
  };
}

async function startCli(dataDir?: string): Promise<{ cli: SpawnedCli; url: string }> {
  const cli = spawnCli(["--port", "0", "--no-throttle", "--seed", "1", ...(dataDir ? ["--data-dir", dataDir] : [])], { dist });
  return { cli, url: await waitForUrl(cli, 60_000) };
}

async function stopCli(cli: SpawnedCli): Promise<void> {
  cli.child.kill("SIGTERM");
  await cli.exited;
}

async function createApp(url: string, agent: Agent): Promise<string> {
  const r = await callV3(url, "CreateLiveMessageApp", { AppName: "bench" }, key, { dispatcher: agent });
  if (r.status !== 200) throw new Error(`CreateLiveMessageApp failed: ${r.text}`);
  return r.json.AppId as string;
}

async function throughput(mode: "memory" | "dataDir"): Promise<Record<string, LevelResult[]>> {
  const dataDir = mode === "dataDir" ? fs.mkdtempSync(path.join(os.tmpdir(), "lm-bench-")) : undefined;
  const { cli, url } = await startCli(dataDir);
  const agent = new Agent({ connections: Math.max(...CONCURRENCY), keepAliveTimeout: 30_000 });
  try {
    const appId = await createApp(url, agent);
    await callV3(url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "benchgroup" }, key, { dispatcher: agent });
    const describe: LevelResult[] = [];
    for (const c of CONCURRENCY) {
      const prepared = Array.from({ length: REQUESTS_PER_LEVEL }, () =>
        prepareV3(url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "benchgroup" }, key),
      );
      const r = await signedLevel(url, agent, c, prepared);
      log(`${mode} DescribeLiveMessageGroup c=${c}: ${r.requestsPerSecond}/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms, server ${r.serverCpuMicrosPerRequest} µs CPU/req, errors ${r.errors}`);
      describe.push(r);
    }
    const create: LevelResult[] = [];
    let groupSeq = 0;
    for (const c of CONCURRENCY) {
      const apps: string[] = [];
      for (let i = 0; i < Math.ceil(REQUESTS_PER_LEVEL / GROUPS_PER_APP); i++) apps.push(await createApp(url, agent));
      const base = groupSeq;
      groupSeq += REQUESTS_PER_LEVEL;
      const prepared = Array.from({ length: REQUESTS_PER_LEVEL }, (_, i) =>
        prepareV3(url, "CreateLiveMessageGroup", { AppId: apps[Math.floor(i / GROUPS_PER_APP)]!, GroupId: `g${base + i}` }, key),
      );
      const r = await signedLevel(url, agent, c, prepared);
      log(`${mode} CreateLiveMessageGroup c=${c}: ${r.requestsPerSecond}/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms, server ${r.serverCpuMicrosPerRequest} µs CPU/req, errors ${r.errors}`);
      create.push(r);
    }
    return { DescribeLiveMessageGroup: describe, CreateLiveMessageGroup: create };
  } finally {
    await agent.close();
    await stopCli(cli);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Loads groups, one member each, and messages; reports memory and (dataDir) restart time, then (optionally)
 * measures latency during compactions on the loaded directory. */
async function loaded(withCompaction: boolean): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-bench-load-"));
  let { cli, url } = await startCli(dataDir);
  const agent = new Agent({ connections: 32 });
  try {
    const before = (await admin(url, "GET", "/health")).json.memory;
    const appId = await createApp(url, agent);
    const t0 = Date.now();
    const groups = await level(32, LOAD_GROUPS, async (i) => {
      const status = (await callV3(url, "CreateLiveMessageGroup", { AppId: appId, GroupId: `room${i}` }, key, { dispatcher: agent })).status;
      if (status !== 200) return status;
      return (await admin(url, "POST", `/apps/${appId}/groups/room${i}/members`, { userId: `viewer${i}` })).status;
    });
    const messages = await level(32, LOAD_MESSAGES, async (i) =>
      (
        await callV3(
          url,
          "SendLiveMessageGroup",
          { AppId: appId, GroupId: `room${i % LOAD_GROUPS}`, SenderId: `viewer${i % LOAD_GROUPS}`, Body: `message number ${i} with a little text`, MsgType: String(i % 5) },
          key,
          { dispatcher: agent },
        )
      ).status,
    );
    const loadSeconds = (Date.now() - t0) / 1000;
    const after = (await admin(url, "GET", "/health")).json;
    log(`loaded ${LOAD_GROUPS} groups / ${LOAD_MESSAGES} messages in ${round(loadSeconds)} s; rss ${Math.round(after.memory.rss / 1048576)} MB`);
    await agent.close();
    await stopCli(cli);
    const snapshotBytes = fs.statSync(path.join(dataDir, "snapshot.dat")).size;
    const t1 = Date.now();
    ({ cli, url } = await startCli(dataDir));
    const restartMs = Date.now() - t1;
    const restarted = (await admin(url, "GET", "/health")).json;
    // Latency with all of it loaded (after the restart): reads spread over every group.
    const readAgent = new Agent({ connections: 32 });
    const reads = quick ? 2_000 : 5_000;
    const describeLoaded = await signedLevel(url, readAgent, 32,
      Array.from({ length: reads }, (_, i) => prepareV3(url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: `room${(i * 7919) % LOAD_GROUPS}` }, key)));
    const listLoaded = await signedLevel(url, readAgent, 32,
      Array.from({ length: reads }, (_, i) =>
        prepareV3(url, "ListLiveMessageGroupMessages", { AppId: appId, GroupId: `room${(i * 7919) % LOAD_GROUPS}`, PageSize: "20", SortType: "2" }, key)));
    await readAgent.close();
    log(`loaded: Describe p50 ${describeLoaded.p50Ms} ms p99 ${describeLoaded.p99Ms} ms; ListMessages p50 ${listLoaded.p50Ms} ms p99 ${listLoaded.p99Ms} ms`);
    await new Promise((r) => setTimeout(r, 3000));
    const idle = (await admin(url, "GET", "/health")).json;
    const compaction = withCompaction ? await compactionPauses(url, appId) : undefined;
    return {
      ...(compaction ? { compaction } : {}),
      memoryAfterRestartIdleMB: { rss: round(idle.memory.rss / 1048576, 1), heapUsed: round(idle.memory.heapUsed / 1048576, 1) },
      describeLoaded,
      listMessagesLoaded: listLoaded,
      groups: LOAD_GROUPS,
      messages: LOAD_MESSAGES,
      errors: groups.errors + messages.errors,
      loadSeconds: round(loadSeconds),
      sendMessagesPerSecondDataDir: messages.requestsPerSecond,
      memoryEmptyMB: { rss: round(before.rss / 1048576, 1), heapUsed: round(before.heapUsed / 1048576, 1) },
      memoryLoadedMB: { rss: round(after.memory.rss / 1048576, 1), heapUsed: round(after.memory.heapUsed / 1048576, 1) },
      memoryAfterRestartMB: { rss: round(restarted.memory.rss / 1048576, 1), heapUsed: round(restarted.memory.heapUsed / 1048576, 1) },
      snapshotMB: round(snapshotBytes / 1048576, 1),
      restartToListeningMs: restartMs,
      log: after.log,
    };
  } finally {
    await agent.close().catch(() => undefined);
    await stopCli(cli);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Requests per second at full load for DURATION_S seconds, per 10 s window (signed on the fly, so the nonce
 * cache fills to its cap and evicts on every request). */
async function sustained(): Promise<Record<string, unknown>> {
  const { cli, url } = await startCli();
  const agent = new Agent({ connections: SUSTAINED_CONCURRENCY, keepAliveTimeout: 30_000 });
  try {
    const appId = await createApp(url, agent);
    await callV3(url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "benchgroup" }, key, { dispatcher: agent });
    const windowMs = 10_000;
    const windows: { requests: number; errors: number; cpuMicros: number }[] = [];
    let current = { requests: 0, errors: 0, cpuMicros: 0 };
    let cpuMark = await serverCpu(url);
    const started = Date.now();
    let windowEnd = started + windowMs;
    let done = false;
    const roll = async (): Promise<void> => {
      while (!done) {
        await new Promise((r) => setTimeout(r, Math.max(0, windowEnd - Date.now())));
        const cpu = await serverCpu(url);
        current.cpuMicros = cpu - cpuMark;
        cpuMark = cpu;
        windows.push(current);
        log(`sustained window ${windows.length}: ${Math.round(current.requests / (windowMs / 1000))}/s, ${Math.round(current.cpuMicros / Math.max(1, current.requests))} µs server CPU/req, errors ${current.errors}`);
        current = { requests: 0, errors: 0, cpuMicros: 0 };
        windowEnd += windowMs;
        if (windowEnd > started + DURATION_S * 1000) done = true;
      }
    };
    const roller = roll();
    await Promise.all(
      Array.from({ length: SUSTAINED_CONCURRENCY }, async () => {
        while (!done) {
          const r = await send(prepareV3(url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "benchgroup" }, key), agent).catch(() => undefined);
          current.requests++;
          if (r?.status !== 200) current.errors++;
        }
      }),
    );
    await roller;
    const rps = windows.map((w) => Math.round(w.requests / (windowMs / 1000)));
    const per = Math.max(1, Math.min(6, Math.floor(windows.length / 2)));
    const mean = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
    const firstMinute = mean(rps.slice(0, per));
    const lastMinute = mean(rps.slice(-per));
    const cpuPer = (ws: typeof windows): number => Math.round(ws.reduce((a, w) => a + w.cpuMicros, 0) / Math.max(1, ws.reduce((a, w) => a + w.requests, 0)));
    const health = (await admin(url, "GET", "/health")).json;
    const nonces = /livemessage_emulator_nonces_remembered (\d+)/.exec((await admin(url, "GET", "/metrics")).text)?.[1];
    return {
      durationSeconds: DURATION_S,
      concurrency: SUSTAINED_CONCURRENCY,
      windowSeconds: windowMs / 1000,
      requestsPerSecondByWindow: rps,
      firstMinuteRps: firstMinute,
      lastMinuteRps: lastMinute,
      lastOverFirst: round(lastMinute / Math.max(1, firstMinute), 3),
      minWindowRps: Math.min(...rps),
      maxWindowRps: Math.max(...rps),
      serverCpuMicrosPerRequestFirst: cpuPer(windows.slice(0, per)),
      serverCpuMicrosPerRequestLast: cpuPer(windows.slice(-per)),
      errors: windows.reduce((a, w) => a + w.errors, 0),
      noncesRememberedAtEnd: Number(nonces),
      rssAtEndMB: round(health.memory.rss / 1048576, 1),
    };
  } finally {
    await agent.close();
    await stopCli(cli);
  }
}

/**
 * Latency while compactions run on a loaded directory. An open-loop load at a fixed rate (PACED_RPS: 80 % reads,
 * 20 % durable writes — well below capacity, so a request's latency is its own, not a queue's) runs for a 3 s
 * baseline, then through COMPACTION rounds started back to back. Reports the latency of calls that overlapped a
 * compaction against the baseline's, the compactions' own figures, and the server's event-loop delay in both.
 */
const PACED_RPS = Number(arg("paced-rps") ?? 400);

function summary(xs: number[]): Record<string, number> {
  const sorted = Float64Array.from(xs).sort();
  return { requests: sorted.length, maxMs: round(sorted[sorted.length - 1] ?? 0, 2), p999Ms: round(percentile(sorted, 99.9), 2), p99Ms: round(percentile(sorted, 99), 2) };
}

async function compactionPauses(url: string, appId: string): Promise<Record<string, unknown>> {
  const rounds = quick ? 2 : 4;
  const agent = new Agent({ connections: 64 });
  const during: number[] = [];
  const before: number[] = [];
  const duringReads: number[] = [];
  const duringWrites: number[] = [];
  let phase: "warmup" | "baseline" | "compacting" | "between" = "warmup";
  let stop = false;
  let errors = 0;
  let n = 0;
  const inflight = new Set<Promise<void>>();
  const fire = (): void => {
    const i = n++;
    const g = (i * 7919) % LOAD_GROUPS;
    const req =
      i % 5 === 0
        ? prepareV3(url, "SendLiveMessageGroup", { AppId: appId, GroupId: `room${g}`, SenderId: `viewer${g}`, Body: `during compaction ${i}` }, key)
        : prepareV3(url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: `room${g}` }, key);
    const startedIn = phase;
    const t = process.hrtime.bigint();
    const p = send(req, agent).then(
      (r) => {
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        if (r.status !== 200) errors++;
        if (startedIn === "compacting" || phase === "compacting") {
          during.push(ms);
          (i % 5 === 0 ? duringWrites : duringReads).push(ms);
        }
        else if (startedIn === "baseline") before.push(ms);
      },
      () => void errors++,
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  // Pacing: fire the requests that are due every 2 ms (timers are coarse; the schedule is not).
  const t0 = Date.now();
  let fired = 0;
  const pacer = setInterval(() => {
    if (stop) return;
    const due = Math.floor(((Date.now() - t0) / 1000) * PACED_RPS);
    while (fired < due) {
      fire();
      fired++;
    }
  }, 2);
  await new Promise((r) => setTimeout(r, 1000));
  await admin(url, "GET", "/health?reset=eventLoopDelay");
  phase = "baseline";
  await new Promise((r) => setTimeout(r, 3000));
  phase = "between";
  const baselineLoop = (await admin(url, "GET", "/health?reset=eventLoopDelay")).json.eventLoopDelayMs;
  const compactions: number[] = [];
  for (let i = 0; i < rounds; i++) {
    phase = "compacting";
    const t = Date.now();
    const r = await admin(url, "POST", "/compact");
    compactions.push(Date.now() - t);
    phase = "between";
    if (r.status !== 200) throw new Error(`compaction failed: ${r.text}`);
    await new Promise((res) => setTimeout(res, 300));
  }
  const health = (await admin(url, "GET", "/health?reset=eventLoopDelay")).json;
  stop = true;
  clearInterval(pacer);
  await Promise.all([...inflight]);
  await agent.close();
  const sorted = Float64Array.from(during).sort();
  const base = Float64Array.from(before).sort();
  const result = {
    pacedRequestsPerSecond: PACED_RPS,
    baselineWithoutCompaction: {
      requests: base.length,
      maxMs: round(base[base.length - 1] ?? 0, 2),
      p999Ms: round(percentile(base, 99.9), 2),
      p99Ms: round(percentile(base, 99), 2),
      p50Ms: round(percentile(base, 50), 2),
      serverEventLoopDelayMs: baselineLoop,
    },
    duringCompaction: {
      rounds,
      requests: sorted.length,
      maxMs: round(sorted[sorted.length - 1] ?? 0, 2),
      p999Ms: round(percentile(sorted, 99.9), 2),
      p99Ms: round(percentile(sorted, 99), 2),
      p50Ms: round(percentile(sorted, 50), 2),
      reads: summary(duringReads),
      durableWrites: summary(duringWrites),
      serverEventLoopDelayMs: health.eventLoopDelayMs,
    },
    errors,
    compactionWallMs: compactions,
    snapshotMB: round((health.log.lastCompactionBytes ?? 0) / 1048576, 1),
  };
  log(`compaction: ${sorted.length} requests overlapped ${rounds} compactions: max ${result.duringCompaction.maxMs} ms p99.9 ${result.duringCompaction.p999Ms} ms (baseline max ${result.baselineWithoutCompaction.maxMs} ms p99.9 ${result.baselineWithoutCompaction.p999Ms} ms); server event-loop delay max ${health.eventLoopDelayMs.max} ms`);
  return result;
}

/**
 * The nonce cache alone, in this process: nanoseconds per `use` while it fills to its cap, then while every use
 * evicts the oldest nonce. Constant time means the two are alike (the old Map-walking eviction made the second
 * grow with the number of deleted entries).
 */
function nonceCache(): Record<string, unknown> {
  const cache = new NonceCache();
  const now = Date.now();
  const fill = MAX_REMEMBERED_NONCES;
  const evicting = quick ? 400_000 : 2_000_000;
  const time = (from: number, count: number): number => {
    const t = process.hrtime.bigint();
    for (let i = from; i < from + count; i++) cache.use("key", `nonce-${i.toString(36)}-0123456789abcdef`, now);
    return Number(process.hrtime.bigint() - t) / count;
  };
  time(0, 10_000); // warm up
  cache.clear();
  const fillingNs = time(0, fill);
  const evictingNs = time(fill, evicting);
  log(`nonce cache: ${Math.round(fillingNs)} ns/use while filling to ${fill}, ${Math.round(evictingNs)} ns/use over ${evicting} evicting uses`);
  return { cap: fill, nsPerUseFilling: Math.round(fillingNs), nsPerUseEvicting: Math.round(evictingNs), evictingUses: evicting, evictingOverFilling: round(evictingNs / fillingNs, 2) };
}

async function main(): Promise<void> {
  const result = {
    benchmark: "livemessage-emulator",
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    signature: "ACS3-HMAC-SHA256 (V3): every request has its own nonce and signature, computed before the timed loop; the emulator verifies each",
    transport: "HTTP/1.1 keep-alive over 127.0.0.1, undici client in a separate process",
    emulatorFrom: dist ? "dist/emulator/cli.js" : "emulator/cli.ts via swc (RSS includes the compiler)",
    measuredOn: "a shared 2-core machine (other work running): figures are noisy lower bounds",
    requestsPerLevel: REQUESTS_PER_LEVEL,
    ...(ONLY.has("throughput") ? { memory: await throughput("memory"), dataDir: await throughput("dataDir") } : {}),
    ...(ONLY.has("sustained") ? { nonceCache: nonceCache(), sustained: await sustained() } : {}),
    ...(ONLY.has("loaded") || ONLY.has("compaction") ? { loaded: await loaded(ONLY.has("compaction")) } : {}),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
