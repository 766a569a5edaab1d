/**
 * Provider benchmarks (issue 11), through the engine harness (test/engine/harness: the engine's step logic, registrations
 * captured from the real program) and the real dynamic-provider processes — one per stack, as `pulumi up` has —
 * against an in-process emulator enforcing the service's 50 requests/s per account and action. Prints one JSON
 * object per scenario; never fails on time.
 *
 *   creates   1 stack, 1,000 group creates, 64-way
 *   stacks2   2 stacks at once on one account, 1,500 creates each
 *   stacks4   4 stacks × 1,500
 *   stacks8   8 stacks × 500
 *   refresh   5,000 groups in one app (created by one stack), 15 out-of-band changes, refresh 64-way
 *   fleet16   16 simulated stacks (in-process clients, each its own limiter) × 250 creates, 16-way each
 *   fleet64   64 simulated stacks × 60 creates, 16-way each
 *
 * Figures: wall time and its ratio to the floor (creates / 50 per s), failed creates, the share of attempts the
 * emulator throttled, API calls by action, peak RSS (provider processes: VmHWM; this process: maxRSS), the
 * throttling reports the providers logged, and the machine's load average.
 *
 *     node -r ./emulator/test-support/register-ts.js bench/provider/run.ts [--only creates,stacks4] [--parallel 64]
 */
import * as fs from "fs";
import * as os from "os";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { createService } from "../../emulator/service";
import type { LiveMessageService } from "../../emulator/service/types";
import { LiveClient } from "../../provider";
import { CreateLiveMessageApp, DeleteLiveMessageGroup, ModifyLiveMessageGroup, RecoverLiveMessageDeletedGroup } from "../../provider/operations";
import { callsBetween, emulatorCallCounts, type CallCounts } from "../../provider/resources/test-support/emulator";
import type { RegistrationRequest } from "../../test/engine/harness/protocol";
import { substitute } from "../../test/engine/faults/fault-env";
import { FaultStack } from "../../test/engine/faults/fault-stack";
import { ensureBuilt, GROUP_TYPE } from "../../test/engine/support";
import { simulateStacks } from "./fleet";

const BUDGET = 50;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const PARALLEL = Number(arg("parallel") ?? 64);
const ONLY = arg("only")?.split(",");

interface Counted {
  requests: number;
  throttled: number;
  byAction: Record<string, { requests: number; throttled: number }>;
}

function summarize(calls: CallCounts): Counted {
  let requests = 0;
  let throttled = 0;
  const byAction: Counted["byAction"] = {};
  for (const [action, c] of Object.entries(calls)) {
    requests += c.requests;
    throttled += c.throttled;
    byAction[action] = { requests: c.requests, throttled: c.throttled };
  }
  return { requests, throttled, byAction };
}

/** Peak resident set of a process (VmHWM), MB; undefined when it is gone. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const load = (): number[] => os.loadavg().map((l) => Number(l.toFixed(2)));
const benchRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Registrations captured from the real program, once per spec shape; "@appId@" is substituted per stack. */
const captured = new Map<string, Promise<RegistrationRequest[]>>();
async function registrations(stack: FaultStack, groups: number, appId: string): Promise<RegistrationRequest[]> {
  const spec = { groups: Array.from({ length: groups }, (_, i) => ({ name: `g${i}`, appId: "@appId@", args: { groupInfo: "v0" } })) };
  const key = JSON.stringify(spec);
  let regs = captured.get(key);
  if (!regs) {
    regs = stack.capture(spec);
    captured.set(key, regs);
  }
  return substitute(await regs, { "@appId@": appId });
}

function newStack(emu: Emulator, name: string): FaultStack {
  return FaultStack.create({
    name,
    config: { "livemessage:endpoint": emu.url, "livemessage:accessKeyId": DEFAULT_CREDENTIALS.accessKeyId },
    secretConfig: { "livemessage:accessKeySecret": DEFAULT_CREDENTIALS.accessKeySecret },
    rpcTimeoutMs: 600_000,
  });
}

/** An emulator that notes when it executed the first and the last CreateLiveMessageGroup (throttled calls never run). */
async function timedEmulator(): Promise<{ emu: Emulator; span: { first: number; last: number } }> {
  const span = { first: Number.POSITIVE_INFINITY, last: 0 };
  const emu = await startEmulator({
    port: 0,
    createService: (opts): LiveMessageService => {
      const inner = createService(opts);
      const execute = inner.execute.bind(inner);
      inner.execute = (action, params, ctx) => {
        if (action === "CreateLiveMessageGroup") {
          const now = performance.now();
          span.first = Math.min(span.first, now);
          span.last = now;
        }
        return execute(action, params, ctx);
      };
      return inner;
    },
  });
  return { emu, span };
}

/** k stacks on one account, each creating `groups` groups in its own app, all at once. */
async function parallelStacks(scenario: string, stacks: number, groups: number): Promise<Record<string, unknown>> {
  const { emu, span } = await timedEmulator();
  const admin = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false });
  const loadBefore = load();
  try {
    const all = Array.from({ length: stacks }, () => newStack(emu, "bench"));
    const apps: string[] = [];
    for (let i = 0; i < stacks; i++) apps.push((await CreateLiveMessageApp.invoke(admin, { AppName: `bench${i}` })).AppId);
    const regs = await Promise.all(all.map((s, i) => registrations(s, groups, apps[i]!)));
    const before = await emulatorCallCounts(emu.url);
    const started = performance.now();
    const results = await Promise.all(
      all.map(async (s, i) => {
        const r = await s.up(regs[i]!, { parallel: PARALLEL, continueOnError: true });
        return { r, ms: performance.now() - started, rss: peakRssMb(s.providerPid) };
      }),
    );
    const wallMs = performance.now() - started;
    const calls = summarize(callsBetween(before, await emulatorCallCounts(emu.url)));
    const created = all.map((s) => s.resources.filter((r) => r.type === GROUP_TYPE && r.id && !(r.initErrors?.length ?? 0)).length);
    const failedSteps = results.reduce((n, x) => n + x.r.steps.filter((st) => st.status === "failed").length, 0);
    const reports = results.flatMap((x) => x.r.logs.filter((l) => /the service throttled/.test(l.message)).map((l) => l.message.replace(/^.*?(\w+: the service)/, "$1")));
    const floorMs = ((stacks * groups) / BUDGET) * 1000;
    for (const s of all) await s.dispose();
    return {
      scenario,
      stacks,
      groupsPerStack: groups,
      parallel: PARALLEL,
      wallMs: Math.round(wallMs),
      floorMs,
      ratio: Number((wallMs / floorMs).toFixed(3)),
      // From the first create the service executed to the last: without provider start-up and checks.
      createSpanMs: Math.round(span.last - span.first),
      createSpanRatio: Number(((span.last - span.first) / floorMs).toFixed(3)),
      perStackMs: results.map((x) => Math.round(x.ms)),
      failed: stacks * groups - created.reduce((a, b) => a + b, 0),
      failedSteps,
      throttledShare: Number((calls.throttled / calls.requests).toFixed(4)),
      apiCalls: calls.requests,
      byAction: calls.byAction,
      peakRssMb: { providers: results.map((x) => x.rss), bench: benchRssMb() },
      throttleReports: { count: reports.length, sample: reports.slice(0, 2) },
      loadAverage: { before: loadBefore, after: load() },
    };
  } finally {
    await admin.close();
    await emu.stop();
  }
}

/** 5,000 groups created by one stack; 15 out-of-band changes; refresh through the provider process. */
async function refresh(): Promise<Record<string, unknown>> {
  const GROUPS = 5000;
  const emu = await startEmulator({ port: 0 });
  const admin = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false });
  const loadBefore = load();
  const stack = newStack(emu, "bench");
  try {
    const appId = (await CreateLiveMessageApp.invoke(admin, { AppName: "refresh" })).AppId;
    const regs = await registrations(stack, GROUPS, appId);
    const t0 = performance.now();
    const up = await stack.up(regs, { parallel: PARALLEL });
    const upMs = performance.now() - t0;
    if (up.error) throw new Error(`the set-up up failed: ${up.error.slice(0, 500)}`);
    await stack.restartProvider(); // a refresh is a new provider process
    const ids = stack.resources.filter((r) => r.type === GROUP_TYPE).map((r) => ({ name: r.urn.split("::").pop()!, groupId: String(r.outputs.groupId) }));
    const pick = (i: number) => ids[Math.floor((i * ids.length) / 15)]!;
    // 15 out-of-band changes of mixed kinds, spread over the app.
    const changes: { name: string; kind: string; expect: "update" | "delete" }[] = [];
    const modify = (groupId: string, p: Record<string, unknown>) => ModifyLiveMessageGroup.invoke(admin, { AppId: appId, GroupId: groupId, ...p });
    for (let i = 0; i < 15; i++) {
      const g = pick(i);
      const kind = ["groupInfo", "administrators", "both", "deleted", "deleted+recovered+groupInfo"][i % 5]!;
      if (kind === "groupInfo") await modify(g.groupId, { ModifyInfo: true, GroupInfo: `changed${i}` });
      if (kind === "administrators") await modify(g.groupId, { ModifyAdmin: true, AdminList: ["ops9"] });
      if (kind === "both") await modify(g.groupId, { ModifyInfo: true, GroupInfo: `both${i}`, ModifyAdmin: true, AdminList: ["ops8"] });
      if (kind.startsWith("deleted")) await DeleteLiveMessageGroup.invoke(admin, { AppId: appId, GroupId: g.groupId });
      if (kind === "deleted+recovered+groupInfo") {
        await RecoverLiveMessageDeletedGroup.invoke(admin, { AppId: appId, GroupId: g.groupId });
        await modify(g.groupId, { ModifyInfo: true, GroupInfo: `back${i}` });
      }
      changes.push({ name: g.name, kind, expect: kind === "deleted" ? "delete" : "update" });
    }
    const before = await emulatorCallCounts(emu.url);
    const started = performance.now();
    const r = await stack.refresh({ parallel: PARALLEL });
    const wallMs = performance.now() - started;
    const rss = peakRssMb(stack.providerPid);
    const calls = summarize(callsBetween(before, await emulatorCallCounts(emu.url)));
    const changedSteps = new Map(r.steps.filter((s) => s.op !== "same").map((s) => [s.name, s.op]));
    const detected = changes.filter((c) => changedSteps.get(c.name) === c.expect).length;
    const falseDrift = [...changedSteps.keys()].filter((n) => !changes.some((c) => c.name === n));
    return {
      scenario: "refresh",
      groups: GROUPS,
      parallel: PARALLEL,
      setupUpMs: Math.round(upMs),
      wallMs: Math.round(wallMs),
      goalMs: 10_000,
      apiCalls: calls.requests,
      byAction: calls.byAction,
      outOfBandChanges: changes.length,
      detected,
      missed: changes.filter((c) => changedSteps.get(c.name) !== c.expect).map((c) => `${c.name} (${c.kind}) → ${changedSteps.get(c.name) ?? "same"}`),
      falseDrift,
      error: r.error,
      peakRssMb: { provider: rss, bench: benchRssMb() },
      loadAverage: { before: loadBefore, after: load() },
    };
  } finally {
    await stack.dispose();
    await admin.close();
    await emu.stop();
  }
}

async function fleet(stacks: number, groups: number): Promise<Record<string, unknown>> {
  const emu = await startEmulator({ port: 0 });
  const loadBefore = load();
  try {
    const before = await emulatorCallCounts(emu.url);
    const r = await simulateStacks({ url: emu.url, stacks, groupsPerStack: groups, parallel: 16 });
    const calls = summarize(callsBetween(before, await emulatorCallCounts(emu.url)));
    return {
      scenario: `fleet${stacks}`,
      ...r,
      throttledShare: Number((calls.throttled / calls.requests).toFixed(4)),
      apiCalls: calls.requests,
      byAction: calls.byAction,
      peakRssMb: { bench: benchRssMb() },
      loadAverage: { before: loadBefore, after: load() },
    };
  } finally {
    await emu.stop();
  }
}

const SCENARIOS: Record<string, () => Promise<Record<string, unknown>>> = {
  creates: () => parallelStacks("creates", 1, 1000),
  stacks2: () => parallelStacks("stacks2", 2, 1500),
  stacks4: () => parallelStacks("stacks4", 4, 1500),
  stacks8: () => parallelStacks("stacks8", 8, 500),
  refresh,
  fleet16: () => fleet(16, 250),
  fleet64: () => fleet(64, 60),
};

async function main(): Promise<void> {
  ensureBuilt();
  const names = ONLY ?? Object.keys(SCENARIOS);
  for (const name of names) {
    const run = SCENARIOS[name];
    if (!run) throw new Error(`unknown scenario ${name}; one of ${Object.keys(SCENARIOS).join(", ")}`);
    console.log(JSON.stringify({ benchmark: "provider", node: process.version, cpus: os.cpus().length, ...(await run()) }));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
