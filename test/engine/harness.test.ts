// Self-test of the engine-protocol harness with a toy dynamic provider (test/engine/fixtures/toy): the real
// `@pulumi/pulumi/cmd/dynamic-provider` process, the program in its own process, the engine's call sequence.
// Like a Terraform acceptance test, the lifecycle is a list of ordered steps on one stack.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  findPulumiCli,
  isSecret,
  TestStack,
  UNKNOWN,
  type OperationResult,
  type ResourceState,
  type RpcRecord,
} from "./harness";
import { startCounterService, type CounterService } from "./fixtures/toy/service";

const FIXTURE = path.join(__dirname, "fixtures", "toy");
const COUNTER = "pulumi-nodejs:dynamic/toy:Counter";
const TOKEN = `tok-${process.pid}-secret`;
const LABEL = "label-that-must-stay-secret";

interface CounterSpec {
  logical: string;
  name?: string;
  start?: number | string;
  startFrom?: string;
  step?: number;
  label?: string;
  failInit?: boolean;
  import?: string;
  get?: string;
  deleteBeforeReplace?: boolean;
}

jest.setTimeout(60000);

let svc: CounterService;
let stack: TestStack;

const setSpec = (counters: CounterSpec[]): void => stack.setProgramEnv({ TOY_SPEC: JSON.stringify({ counters }) });
const urnOf = (logical: string): string => `urn:pulumi:dev::toy::${COUNTER}::${logical}`;
const rpcsFor = (r: OperationResult, logical: string): RpcRecord[] => r.rpcs.filter((c) => c.urn === urnOf(logical));
const counterOps = (r: OperationResult): Record<string, string> =>
  Object.fromEntries(r.steps.filter((s) => s.type === COUNTER).map((s) => [s.name, s.op]));
const idOf = (logical: string): string => stack.resource(logical)!.id!;
const byUrn = (resources: ResourceState[]): Record<string, ResourceState> =>
  Object.fromEntries(resources.map((r) => [r.urn, r]));

function expectOk(r: OperationResult): void {
  if (r.error) throw new Error(`operation failed: ${r.error}\n${r.logs.map((l) => `${l.source}: ${l.message}`).join("\n")}`);
}

const base: CounterSpec[] = [
  { logical: "a", start: 1 },
  { logical: "b", startFrom: "a", step: 7 },
  { logical: "c", start: 3, label: LABEL },
];

beforeAll(async () => {
  svc = await startCounterService(TOKEN);
  stack = await TestStack.create({
    programDir: path.join(FIXTURE, "program"),
    stack: "dev",
    config: { "toy:endpoint": svc.url },
    secretConfig: { "toy:token": TOKEN },
    packages: { "toy-dynamic-pkg": path.join(FIXTURE, "pkg") },
  });
});

afterAll(async () => {
  await stack?.dispose();
  await svc?.close();
});

describe("engine harness lifecycle on the toy provider", () => {
  it("preview checks with unknowns, never calls Create and makes no service call", async () => {
    setSpec(base);
    const r = await stack.preview();
    expectOk(r);
    expect(counterOps(r)).toEqual({ a: "create", b: "create", c: "create" });
    expect(r.step("toy-dev")?.op).toBe("create"); // the root stack resource
    expect(svc.calls).toEqual([]);
    // Plugin start-up exactly like the engine: Handshake is UNIMPLEMENTED, CheckConfig too, then Configure.
    expect(r.rpcs.slice(0, 4).map((c) => c.method)).toEqual(["Handshake", "GetPluginInfo", "CheckConfig", "Configure"]);
    expect(r.rpcs[0].error?.code).toBe(12);
    expect(r.rpcs[3].request.argKeys).toEqual(expect.arrayContaining(["toy:endpoint", "toy:token"]));
    expect(new Set(r.rpcs.slice(4).map((c) => c.method))).toEqual(new Set(["Check"]));
    // b depends on a.value, unknown until a exists: the provider sees the unknown sentinel in preview.
    const bCheck = rpcsFor(r, "b")[0];
    expect((bCheck.request.news as Record<string, unknown>).start).toBe(UNKNOWN);
    expect(r.outputs.values.value).toEqual({ a: UNKNOWN, b: UNKNOWN, c: UNKNOWN });
    expect(stack.state.resources).toEqual([]);
  });

  it("up creates the resources and hands real outputs to dependents", async () => {
    const r = await stack.up();
    expectOk(r);
    expect(counterOps(r)).toEqual({ a: "create", b: "create", c: "create" });
    expect(svc.counters.size).toBe(3);
    const [a, b] = [stack.resource("a")!, stack.resource("b")!];
    expect(b.inputs.start).toBe(svc.counters.get(a.id!)!.value); // dependency resolved to the real value
    expect(svc.counters.get(b.id!)!.start).toBe(1);
    expect(b.inputs.step).toBe(7);
    expect(a.inputs.step).toBe(1); // default filled in by check
    expect(r.outputs.ids).toEqual({ value: { a: a.id, b: b.id, c: idOf("c") }, secret: false });
    expect(r.outputs.apiKeys.secret).toBe(true);
    expect(r.outputs.usedPrefix.value).toBe("");
    // pulumi.log.warn inside the provider process, attributed to the resource whose RPC was in flight.
    const warn = r.logsMatching("step 7 is unusually large");
    expect(warn).toEqual([expect.objectContaining({ source: "provider", severity: "warning", urn: urnOf("b") })]);
    expect(rpcsFor(r, "a").map((c) => c.method)).toEqual(["Check", "Create"]);
    expect(b.dependencies).toContain(urnOf("a"));
    expect(b.provider).toBe(`urn:pulumi:dev::toy::pulumi:providers:pulumi-nodejs::default::${stack.providerId}`);
    expect(b.parent).toBe(stack.stackUrn);
    // The program's own output is captured too.
    expect(r.logsMatching("toy program: 3 counter(s)")).toEqual([
      expect.objectContaining({ source: "program", severity: "info" }),
    ]);
  });

  it("a second up without changes is all same and writes nothing", async () => {
    const writes = svc.writes().length;
    const r = await stack.up();
    expectOk(r);
    expect(r.summary).toEqual({ same: 4 });
    expect(svc.writes().length).toBe(writes);
    expect(rpcsFor(r, "a").map((c) => c.method)).toEqual(["Check", "Diff"]);
    // Check received the old inputs as olds, as the engine sends them.
    expect((rpcsFor(r, "a")[0].request.olds as Record<string, unknown>).start).toBe(1);
  });

  it("keeps secrets wrapped in state and encrypted in the exported state; records the __provider size", () => {
    const c = stack.resource("c")!;
    expect(isSecret(c.inputs.label)).toBe(true);
    expect(isSecret(c.outputs.label)).toBe(true); // re-annotated by the engine (annotateSecrets)
    expect(isSecret(c.outputs.apiKey)).toBe(true); // additionalSecretOutputs
    const exported = stack.exportState();
    const onDisk = fs.readFileSync(stack.statePath, "utf8");
    for (const text of [exported, onDisk]) {
      expect(text).not.toContain(LABEL);
      expect(text).not.toContain(TOKEN);
      for (const counter of svc.counters.values()) expect(text).not.toContain(counter.apiKey);
      expect(text).toContain("ciphertext");
    }
    expect(JSON.parse(exported).deployment.resources.map((r: { urn: string }) => r.urn)).toEqual(
      stack.state.resources.map((r) => r.urn),
    );
    const before = stack.state;
    stack.importState(exported);
    expect(stack.state).toEqual(before);
    for (const r of stack.state.resources.filter((x) => x.type === COUNTER)) {
      expect(r.providerSize).toBe(Buffer.byteLength(r.inputs.__provider as string));
      expect(r.providerSize).toBeGreaterThan(200);
      expect(r.providerSize).toBeLessThan(8000); // lazy require: only small wrapper functions are serialized
      expect(r.inputs.__provider).not.toContain(TOKEN);
    }
  });

  it("previews a config change (the program reads toy:prefix) as replacements without writing", async () => {
    const writes = svc.writes().length;
    stack.setConfig("toy:prefix", "p-");
    try {
      const r = await stack.preview();
      expectOk(r);
      expect(counterOps(r)).toEqual({ a: "replace", b: "replace", c: "replace" });
      expect(r.outputs.usedPrefix.value).toBe("p-");
      expect(r.step("a")!.replaces).toEqual(["name"]);
      expect(r.rpcs.some((c) => ["Create", "Update", "Delete"].includes(c.method))).toBe(false);
      // b's start comes from a replaced resource: unknown during the preview.
      const bChecks = rpcsFor(r, "b").filter((c) => c.method === "Check");
      expect((bChecks[0].request.news as Record<string, unknown>).start).toBe(UNKNOWN);
      expect(svc.writes().length).toBe(writes);
    } finally {
      stack.removeConfig("toy:prefix");
    }
  });

  it("refresh sees out-of-band drift and the next up repairs it", async () => {
    const bId = idOf("b");
    svc.counters.get(bId)!.step = 9;
    svc.counters.get(bId)!.value += 5;
    const r = await stack.refresh();
    expectOk(r);
    expect(counterOps(r)).toEqual({ a: "same", b: "update", c: "same" });
    expect(r.step("b")!.diffs).toContain("step");
    expect(stack.resource("b")!.outputs.step).toBe(9);
    expect(stack.resource("b")!.outputs.value).toBe(svc.counters.get(bId)!.value);
    const read = rpcsFor(r, "b").find((c) => c.method === "Read")!;
    expect((read.request.properties as Record<string, unknown>).step).toBe(7); // last outputs sent as state
    const up = await stack.up();
    expectOk(up);
    expect(counterOps(up).b).toBe("update");
    expect(svc.counters.get(bId)!.step).toBe(7);
  });

  it("updates in place, keeping the id, and propagates the new output to dependents", async () => {
    const [aId, bId] = [idOf("a"), idOf("b")];
    setSpec([{ ...base[0], start: 10 }, base[1], base[2]]);
    const r = await stack.up();
    expectOk(r);
    expect(counterOps(r)).toEqual({ a: "update", b: "update", c: "same" });
    expect(r.step("a")!.diffs).toEqual(["start"]);
    expect(rpcsFor(r, "a").map((c) => c.method)).toEqual(["Check", "Diff", "Update"]);
    expect([idOf("a"), idOf("b")]).toEqual([aId, bId]);
    expect(svc.counters.get(aId)!.start).toBe(10);
    expect(svc.counters.get(bId)!.start).toBe(svc.counters.get(aId)!.value);
  });

  it("replaces create-before-delete, checking again with empty olds before the create", async () => {
    const oldId = idOf("c");
    setSpec([{ ...base[0], start: 10 }, base[1], { ...base[2], name: "c2" }]);
    const r = await stack.up();
    expectOk(r);
    const step = r.step("c", "replace")!;
    expect(step).toMatchObject({ replaces: ["name"], oldId, deleteBeforeReplace: false });
    const calls = rpcsFor(r, "c");
    expect(calls.map((c) => c.method)).toEqual(["Check", "Diff", "Check", "Create", "Delete"]);
    expect((calls[0].request.olds as Record<string, unknown>).name).toBe("c");
    expect(calls[2].request.olds).toEqual({});
    expect(calls[4].id).toBe(oldId);
    expect(r.rpcs[r.rpcs.length - 1]).toBe(calls[4]); // the old one goes in the delete phase, at the very end
    expect(r.step("c", "delete-replaced")!.id).toBe(oldId);
    expect(svc.counters.has(oldId)).toBe(false);
    expect(svc.counters.get(idOf("c"))!.name).toBe("c2");
    expect(stack.state.resources.filter((x) => x.urn === urnOf("c"))).toHaveLength(1);
  });

  it("honours deleteBeforeReplace: the old resource is deleted before the create", async () => {
    const oldId = idOf("c");
    setSpec([{ ...base[0], start: 10 }, base[1], { ...base[2], name: "c3", deleteBeforeReplace: true }]);
    const r = await stack.up();
    expectOk(r);
    expect(r.step("c", "replace")!.deleteBeforeReplace).toBe(true);
    const calls = rpcsFor(r, "c");
    expect(calls.map((c) => c.method)).toEqual(["Check", "Diff", "Check", "Delete", "Create"]);
    expect(calls[3].id).toBe(oldId);
    expect(svc.counters.has(oldId)).toBe(false);
    expect(svc.counters.get(idOf("c"))!.name).toBe("c3");
  });

  it("deletes a resource the program no longer declares", async () => {
    const cId = idOf("c");
    setSpec([{ ...base[0], start: 10 }, base[1]]);
    const r = await stack.up();
    expectOk(r);
    expect(counterOps(r)).toEqual({ a: "same", b: "same", c: "delete" });
    expect(svc.counters.has(cId)).toBe(false);
    expect(stack.resource("c")).toBeUndefined();
  });

  it("surfaces a CheckFailure with its property, in preview and up, without touching the service", async () => {
    const writes = svc.writes().length;
    const stateBefore = stack.state;
    setSpec([{ ...base[0], start: "abc" }, base[1]]);
    const p = await stack.preview();
    expect(p.failures).toEqual([{ urn: urnOf("a"), property: "start", reason: expect.stringContaining("integer") }]);
    expect(p.error).toContain("start");
    const u = await stack.up();
    expect(u.failures.map((f) => f.property)).toEqual(["start"]);
    expect(u.error).toContain("check errors");
    expect(svc.writes().length).toBe(writes);
    // Nothing deleted although b was never registered (a failed program deletes nothing).
    expect(byUrn(stack.state.resources)).toEqual(byUrn(stateBefore.resources));
  });

  it("imports with opts.import and reads with Resource.get", async () => {
    const imp = svc.createOutOfBand({ name: "imp", start: 5, step: 2 });
    const ext = svc.createOutOfBand({ name: "ext", start: 8, step: 1 });
    setSpec([
      { ...base[0], start: 10 },
      base[1],
      { logical: "imp", start: 5, step: 2, import: imp.id },
      { logical: "ext", get: ext.id },
    ]);
    const r = await stack.up();
    expectOk(r);
    expect(counterOps(r)).toMatchObject({ imp: "import", ext: "read" });
    for (const logical of ["imp", "ext"]) {
      const read = rpcsFor(r, logical).find((c) => c.method === "Read")!;
      expect(read.request.properties).toEqual({}); // the provider host finds __provider in the inputs
      expect(typeof (read.request.inputs as Record<string, unknown>).__provider).toBe("string");
    }
    expect(rpcsFor(r, "imp").map((c) => c.method)).toEqual(["Read", "Check", "Diff"]);
    expect(r.rpcs.some((c) => c.method === "Create")).toBe(false);
    expect(stack.resource("imp")).toMatchObject({ id: imp.id, importId: imp.id });
    expect(stack.resource("imp")!.external).toBeUndefined();
    expect(stack.resource("ext")).toMatchObject({ id: ext.id, external: true });
    expect(r.outputs.values.value).toMatchObject({ imp: 5, ext: 8 });
    const again = await stack.up();
    expectOk(again);
    expect(counterOps(again)).toMatchObject({ imp: "same", ext: "read" });
  });

  it("fails the step with the provider's message and keeps what succeeded", async () => {
    const before = stack.state;
    setSpec([{ ...base[0], start: 10 }, base[1], { logical: "dup", name: "a", start: 1 }]);
    const r = await stack.up();
    expect(r.error).toContain("create failed: HTTP 409: name a is taken");
    expect(r.step("dup")).toMatchObject({ op: "create", status: "failed" });
    expect(r.step("dup")!.error).toContain("HTTP 409");
    expect(stack.resource("dup")).toBeUndefined();
    // The failed program deletes nothing: imp and ext, not declared this time, are still there.
    expect(byUrn(stack.state.resources)).toEqual(byUrn(before.resources));
  });

  it("records a partial failure (resource created, init failed) in state; the next up updates it", async () => {
    const spec: CounterSpec[] = [
      { ...base[0], start: 10 },
      base[1],
      { logical: "imp", start: 5, step: 2, import: idOf("imp") },
      { logical: "ext", get: idOf("ext") },
      { logical: "bad", start: 1, failInit: true },
    ];
    setSpec(spec);
    const r = await stack.up();
    expect(r.error).toContain("failed to initialise");
    const step = r.step("bad")!;
    expect(step).toMatchObject({ op: "create", status: "failed", initErrors: ["initialisation probe failed"] });
    const bad = stack.resource("bad")!;
    expect(svc.counters.has(bad.id!)).toBe(true);
    expect(bad.initErrors).toEqual(["initialisation probe failed"]);
    expect(bad.outputs.value).toBe(1);
    setSpec(spec.map((c) => (c.logical === "bad" ? { ...c, failInit: false } : c)));
    const next = await stack.up();
    expectOk(next);
    expect(counterOps(next).bad).toBe("update");
    expect(stack.resource("bad")!.initErrors).toBeUndefined();
    expect(idOf("bad")).toBe(bad.id);
  });

  it("destroy deletes every managed resource and leaves read ones alone", async () => {
    const extId = idOf("ext");
    const r = await stack.destroy();
    expectOk(r);
    expect(r.step("ext")!.op).toBe("discard");
    expect(counterOps(r)).toMatchObject({ a: "delete", b: "delete", imp: "delete", bad: "delete" });
    // Reverse dependency order: b (depends on a) goes before a.
    const order = r.steps.map((s) => s.name);
    expect(order.indexOf("b")).toBeLessThan(order.indexOf("a"));
    expect([...svc.counters.keys()]).toEqual([extId]);
    expect(stack.state.resources).toEqual([]);
    expect(JSON.parse(fs.readFileSync(stack.statePath, "utf8")).deployment.resources).toEqual([]);
  });
});

describe("findPulumiCli", () => {
  it("finds an executable pulumi on PATH and nothing on an empty PATH", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-"));
    try {
      const bin = path.join(dir, "pulumi");
      fs.writeFileSync(bin, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      expect(findPulumiCli(["/nonexistent", dir].join(path.delimiter))).toBe(bin);
      fs.chmodSync(bin, 0o644);
      expect(findPulumiCli(dir)).toBeUndefined();
      expect(findPulumiCli("")).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
