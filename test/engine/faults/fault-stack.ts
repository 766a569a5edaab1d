// A stack for the fault suites, built from the engine harness's own parts (the engine's step logic in
// ../harness/deployment.ts, the real dynamic-provider process, the program runner), with two differences from
// TestStack that make hundreds of faulted deployments affordable:
//   - registrations are captured once from the real program (the SDK decides what is sent) and replayed, instead of
//     running the program process for every deployment;
//   - the provider process lives across operations until `restartProvider()` (or until a fault kills it), instead of
//     one per operation. The suites restart it before every "next run", so a next run never sees the faulted run's
//     process memory.
import { randomUUID } from "crypto";
import * as fs from "fs";
import { RefreshOperation, UpdateOperation, type EngineContext } from "../harness/deployment";
import { loadPulumiRpc, type PulumiRpc } from "../harness/grpc";
import type { LogEntry } from "../harness/logs";
import { runProgram } from "../harness/program-process";
import { ROOT_STACK_TYPE, makeUrn, type RegistrationRequest } from "../harness/protocol";
import { startProviderProcess, type ProviderProcess } from "../harness/provider-process";
import { ProviderSession } from "../harness/provider-session";
import { cloneResources, makeResult, type OperationKind, type OperationResult, type ResourceState } from "../harness/state";
import { secret, type PropertyMap, type PropertyValue } from "../harness/wire";
import { prepareWorkspace, readPulumiYaml } from "../harness/workspace";
import { PROGRAM, REPO_ROOT } from "../support";
import { pulumiDir } from "../harness/grpc";
import * as path from "path";

const ENGINE_ADDRESS = "127.0.0.1:1";

export interface FaultStackOptions {
  name: string;
  config: Record<string, string>;
  secretConfig: Record<string, string>;
  rpcTimeoutMs?: number;
}

export interface UpOptions {
  /** Steps at once (the engine's --parallel); default 1. */
  parallel?: number;
  /** `pulumi up --continue-on-error`. */
  continueOnError?: boolean;
}

export class FaultStack {
  readonly project: string;
  readonly stackName: string;
  readonly providerId = randomUUID();
  resources: ResourceState[] = [];
  private readonly rpc: PulumiRpc;
  private session: Promise<ProviderSession> | undefined;
  private proc: ProviderProcess | undefined;
  private dead = false;

  private constructor(
    readonly workDir: string,
    private readonly opts: FaultStackOptions,
  ) {
    this.project = readPulumiYaml(PROGRAM).name!;
    this.stackName = opts.name;
    this.rpc = loadPulumiRpc();
  }

  static create(opts: FaultStackOptions): FaultStack {
    const workDir = prepareWorkspace({
      programDir: PROGRAM,
      packages: { "pulumi-alicloud-livemessage": REPO_ROOT },
      nodeModules: path.dirname(path.dirname(pulumiDir())),
    });
    return new FaultStack(fs.realpathSync(workDir), opts);
  }

  get stackUrn(): string {
    return makeUrn(this.stackName, this.project, "", ROOT_STACK_TYPE, `${this.project}-${this.stackName}`);
  }

  private get providerUrn(): string {
    return `urn:pulumi:${this.stackName}::${this.project}::pulumi:providers:pulumi-nodejs::default`;
  }

  /** The resource named `name` (not pending deletion), or undefined. */
  resource(name: string): ResourceState | undefined {
    return cloneResources(this.resources).find((r) => r.urn.endsWith(`::${name}`) && !r.delete);
  }

  /** Runs the real program once (no engine, no provider) and returns what it registers, in order. */
  async capture(spec: unknown): Promise<RegistrationRequest[]> {
    const regs: RegistrationRequest[] = [];
    const logs: string[] = [];
    const { plain, secretKeys } = this.configForProcesses();
    const result = await runProgram({
      params: { programDir: this.workDir, project: this.project, stack: this.stackName, organization: "organization", preview: true },
      config: plain,
      secretKeys,
      env: { LM_SPEC: JSON.stringify(spec) },
      handlers: {
        register: async (req) => {
          regs.push(req);
          return { outputs: req.inputs };
        },
        read: async () => ({ outputs: {} }),
        outputs: () => undefined,
      },
      onLog: (e) => logs.push(e.message),
      timeoutMs: 60_000,
    });
    if (!result.ok) throw new Error(`capturing the program's registrations failed: ${result.error}\n${logs.join("\n")}`);
    return regs;
  }

  /** `pulumi up` of a program that registers exactly `regs` (captured from it). */
  up(regs: readonly RegistrationRequest[], options: UpOptions = {}): Promise<OperationResult> {
    return this.operation("up", options, async (ctx) => {
      const op = new UpdateOperation(ctx, cloneResources(this.resources));
      const [root, ...rest] = regs;
      let ok = true;
      if (root) await op.register(root).catch(() => (ok = false));
      const settled = await Promise.allSettled(rest.map((r) => op.register(r)));
      ok &&= settled.every((s) => s.status === "fulfilled");
      await op.finish(ok);
      this.resources = op.finalState();
      return op;
    });
  }

  refresh(): Promise<OperationResult> {
    return this.operation("refresh", {}, async (ctx) => {
      const op = new RefreshOperation(ctx, cloneResources(this.resources));
      this.resources = await op.run();
      return op;
    });
  }

  /** SIGKILLs the provider process now (synchronously), as a crash would; the next call starts a new one. */
  killProvider(): void {
    if (this.proc && !this.dead) process.kill(this.proc.pid, "SIGKILL");
    this.dead = true;
  }

  /** Stops the provider process; the next operation starts a fresh one (what the engine does for every `up`). */
  async restartProvider(): Promise<void> {
    const pending = this.session;
    this.session = undefined;
    this.dead = false;
    const s = pending ? await pending.catch(() => undefined) : undefined;
    if (s) {
      s.close();
      await s.process.stop();
    }
  }

  async dispose(): Promise<void> {
    await this.restartProvider();
    await fs.promises.rm(this.workDir, { recursive: true, force: true });
  }

  private configForProcesses(): { plain: Record<string, string>; secretKeys: string[]; args: PropertyMap } {
    const plain: Record<string, string> = { ...this.opts.config, ...this.opts.secretConfig };
    const args: PropertyMap = {};
    for (const [k, v] of Object.entries(this.opts.config)) args[k] = v;
    for (const [k, v] of Object.entries(this.opts.secretConfig)) args[k] = secret(v) as PropertyValue;
    return { plain, secretKeys: Object.keys(this.opts.secretConfig), args };
  }

  private providerSession(log: (e: LogEntry) => void): Promise<ProviderSession> {
    if (this.dead) {
      // Killed by a fault: what the engine sees next is a fresh plugin (the old session is unusable).
      void this.restartProvider();
    }
    this.session ??= this.startSession(log);
    return this.session;
  }

  private async startSession(log: (e: LogEntry) => void): Promise<ProviderSession> {
    const { plain, secretKeys, args } = this.configForProcesses();
    const proc = await startProviderProcess({ cwd: this.workDir, project: this.project, config: plain, secretKeys, engineAddress: ENGINE_ADDRESS, onLog: (e) => log(e) });
    this.proc = proc;
    const session = new ProviderSession(this.rpc, proc, { engineAddress: ENGINE_ADDRESS, programDirectory: this.workDir, rpcTimeoutMs: this.opts.rpcTimeoutMs ?? 180_000 });
    await session.startUp({ providerUrn: this.providerUrn, providerId: this.providerId, args, plainConfig: plain });
    return session;
  }

  private async operation(
    kind: OperationKind,
    options: UpOptions,
    body: (ctx: EngineContext) => Promise<{ steps: OperationResult["steps"]; failures: OperationResult["failures"]; errors: string[] }>,
  ): Promise<OperationResult> {
    const logs: LogEntry[] = [];
    const log = (e: LogEntry): void => void logs.push(e);
    const ctx: EngineContext = {
      preview: false,
      session: () => this.providerSession(log),
      providerRef: `${this.providerUrn}::${this.providerId}`,
      parallel: options.parallel ?? 1,
      continueOnError: options.continueOnError,
      log,
    };
    const op = await body(ctx);
    return makeResult({
      kind,
      steps: op.steps,
      outputs: {},
      failures: op.failures,
      ...(op.errors.length ? { error: op.errors.join("\n") } : {}),
      logs,
      rpcs: [],
    });
  }
}
