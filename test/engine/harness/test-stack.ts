// TestStack: a mini Pulumi engine for one stack. Each operation runs like the CLI: a fresh provider process
// (the real dynamic provider, started as the engine starts it), the program in its own child process, and the
// engine's call sequence in between. State is kept in memory and written as a checkpoint-like JSON file.
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DestroyOperation, RefreshOperation, UpdateOperation, type EngineContext } from "./deployment";
import { loadPulumiRpc, pulumiDir, type PulumiRpc } from "./grpc";
import type { LogEntry } from "./logs";
import { runProgram } from "./program-process";
import { ROOT_STACK_TYPE, makeUrn, type ProgramParams } from "./protocol";
import { startProviderProcess } from "./provider-process";
import { ProviderSession } from "./provider-session";
import {
  cloneResources,
  exportDeployment,
  importDeployment,
  makeResult,
  resourceName,
  stackOutputs,
  type CheckFailure,
  type OperationKind,
  type OperationResult,
  type ResourceState,
  type StepResult,
} from "./state";
import { deriveSecretsKey, secret, toOutputValues, type OutputValue, type PropertyMap } from "./wire";
import { prepareWorkspace, readPulumiYaml, writeProgramFile } from "./workspace";

export interface TestStackOptions {
  /** A directory with a Pulumi program (index.ts / index.js, or Pulumi.yaml `main`); copied into the workspace. */
  programDir: string;
  /** Default: `name` from Pulumi.yaml. */
  project?: string;
  /** Default "dev". */
  stack?: string;
  /** Default "organization" (what the CLI reports for a local backend). */
  organization?: string;
  /** Program files to add or override (relative path -> content), e.g. a variant index.ts. */
  files?: Record<string, string>;
  /** Stack config, `"namespace:key"` (a bare key gets the project namespace). */
  config?: Record<string, string>;
  /** Secret stack config: reaches Configure wrapped as a secret and the program as a secret key. */
  secretConfig?: Record<string, string>;
  /** Packages installed by name into the program's node_modules (name -> package directory). */
  packages?: Record<string, string>;
  /** See WorkspaceOptions.packageMode (default "copy"). */
  packageMode?: "copy" | "link";
  /** Environment for the program process (can be changed later with setProgramEnv). */
  programEnv?: Record<string, string>;
  /** Extra environment for the provider process. */
  providerEnv?: Record<string, string>;
  /** node_modules made resolvable from the program (default: the one holding the harness's @pulumi/pulumi). */
  nodeModules?: string;
  /** Steps running at once (the engine's --parallel). Default 1: deterministic order, exact log attribution. */
  parallel?: number;
  /** Time limit for one program run (default 60 s) and for one provider RPC (default 60 s). */
  timeoutMs?: number;
  rpcTimeoutMs?: number;
  /** Node binary for both child processes (default: the current one). */
  nodeBin?: string;
  /** Derives the key that encrypts secrets in exported state; default: a random per-stack key. */
  secretsPassphrase?: string;
  /** Build the workspace here instead of a fresh temp directory. */
  workDir?: string;
  /** Keep the workspace on dispose (for debugging). */
  keepWorkDir?: boolean;
}

export interface OperationOptions {
  /** Extra program environment for this operation only. */
  env?: Record<string, string>;
}

interface ConfigEntry {
  value: string;
  secret: boolean;
}

const ENGINE_ADDRESS = "127.0.0.1:1"; // the dynamic provider only checks that an address is given

export class TestStack {
  readonly project: string;
  readonly stackName: string;
  readonly organization: string;
  readonly workDir: string;
  /** Stable ID of the default pulumi-nodejs provider (recorded in each resource's provider reference). */
  readonly providerId = randomUUID();
  private readonly rpc: PulumiRpc;
  private readonly main: string | undefined;
  private readonly config = new Map<string, ConfigEntry>();
  private programEnv: Record<string, string>;
  private resources: ResourceState[] = [];
  private readonly secretsKey: Buffer;
  private disposed = false;

  private constructor(
    private readonly opts: TestStackOptions,
    workDir: string,
    project: string,
    main: string | undefined,
  ) {
    this.workDir = workDir;
    this.project = project;
    this.main = main;
    this.stackName = opts.stack ?? "dev";
    this.organization = opts.organization ?? "organization";
    this.rpc = loadPulumiRpc();
    this.programEnv = { ...(opts.programEnv ?? {}) };
    this.secretsKey = deriveSecretsKey(opts.secretsPassphrase);
    for (const [k, v] of Object.entries(opts.config ?? {})) this.setConfig(k, v);
    for (const [k, v] of Object.entries(opts.secretConfig ?? {})) this.setConfig(k, v, { secret: true });
  }

  static async create(opts: TestStackOptions): Promise<TestStack> {
    const yaml = readPulumiYaml(opts.programDir);
    const project = opts.project ?? yaml.name;
    if (!project) throw new Error(`no project name: pass \`project\` or add a Pulumi.yaml to ${opts.programDir}`);
    const nodeModules = opts.nodeModules ?? path.dirname(path.dirname(pulumiDir()));
    const workDir = prepareWorkspace({
      programDir: opts.programDir,
      files: opts.files,
      packages: opts.packages,
      packageMode: opts.packageMode,
      nodeModules,
      workDir: opts.workDir,
    });
    return new TestStack(opts, fs.realpathSync(workDir), project, yaml.main);
  }

  // ---- identity ------------------------------------------------------------------------------------------
  get stackUrn(): string {
    return makeUrn(this.stackName, this.project, "", ROOT_STACK_TYPE, `${this.project}-${this.stackName}`);
  }

  get providerUrn(): string {
    return `urn:pulumi:${this.stackName}::${this.project}::pulumi:providers:pulumi-nodejs::default`;
  }

  /** Where the state is written after each operation (like a file backend's checkpoint). */
  get statePath(): string {
    return path.join(this.workDir, ".pulumi", "stacks", this.project, `${this.stackName}.json`);
  }

  // ---- state -----------------------------------------------------------------------------------------------
  /** The current checkpoint (a copy): resources in dependency order, secrets wrapped as Pulumi secrets. */
  get state(): { resources: ResourceState[] } {
    return { resources: cloneResources(this.resources) };
  }

  /** The resource with this name (or URN), optionally of this type; `undefined` when absent. */
  resource(nameOrUrn: string, type?: string): ResourceState | undefined {
    const hits = this.resources.filter(
      (r) => (r.urn === nameOrUrn || resourceName(r.urn) === nameOrUrn) && (!type || r.type === type) && !r.delete,
    );
    return hits.length ? cloneResources(hits)[hits.length - 1] : undefined;
  }

  /** Current stack outputs from the state. */
  outputs(): Record<string, OutputValue> {
    return stackOutputs(this.resources, this.stackUrn);
  }

  /** The JSON the harness stores: secrets as AES-256-GCM ciphertext (`{ <sig>: <secret sig>, ciphertext }`). */
  exportState(): string {
    return exportDeployment(this.resources, this.secretsKey, this.rpc.version);
  }

  /** Replaces the state with an export of this stack (or of one with the same secretsPassphrase). */
  importState(text: string): void {
    this.resources = importDeployment(text, this.secretsKey);
    this.writeStateFile();
  }

  // ---- inputs of the next operation ----------------------------------------------------------------------------
  private configKey(key: string): string {
    return key.includes(":") ? key : `${this.project}:${key}`;
  }

  setConfig(key: string, value: string, opts: { secret?: boolean } = {}): void {
    this.config.set(this.configKey(key), { value, secret: opts.secret === true });
  }

  removeConfig(key: string): void {
    this.config.delete(this.configKey(key));
  }

  /** Merges into the program's environment; `undefined` removes a variable. */
  setProgramEnv(env: Record<string, string | undefined>): void {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete this.programEnv[k];
      else this.programEnv[k] = v;
    }
  }

  /** Adds or replaces a file of the program (e.g. a new index.ts between two `up`s). */
  writeFile(rel: string, content: string): void {
    writeProgramFile(this.workDir, rel, content);
  }

  // ---- operations ----------------------------------------------------------------------------------------------
  preview(opts: OperationOptions = {}): Promise<OperationResult> {
    return this.runUpdate(true, opts);
  }

  up(opts: OperationOptions = {}): Promise<OperationResult> {
    return this.runUpdate(false, opts);
  }

  refresh(): Promise<OperationResult> {
    return this.operation("refresh", async (ctx, finish) => {
      const op = new RefreshOperation(ctx, cloneResources(this.resources));
      this.resources = await op.run();
      this.writeStateFile();
      return finish(op, { outputs: this.outputs() });
    });
  }

  destroy(): Promise<OperationResult> {
    return this.operation("destroy", async (ctx, finish) => {
      const op = new DestroyOperation(ctx, cloneResources(this.resources));
      this.resources = await op.run();
      this.writeStateFile();
      return finish(op, { outputs: this.outputs() });
    });
  }

  /** Removes the workspace (unless keepWorkDir). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.opts.keepWorkDir) await fs.promises.rm(this.workDir, { recursive: true, force: true });
  }

  // ---- internals -----------------------------------------------------------------------------------------------
  private runUpdate(preview: boolean, opts: OperationOptions): Promise<OperationResult> {
    return this.operation(preview ? "preview" : "up", async (ctx, finish, log) => {
      const op = new UpdateOperation(ctx, cloneResources(this.resources));
      // Start the provider while the program loads (the engine starts it at the first registration; only the
      // timing differs, and it saves ~0.5 s per operation). A start-up failure surfaces in the first step that
      // needs the provider.
      void ctx.session().catch(() => undefined);
      const params: ProgramParams = {
        programDir: this.workDir,
        ...(this.main ? { main: this.main } : {}),
        project: this.project,
        stack: this.stackName,
        organization: this.organization,
        preview,
      };
      const { plain, secretKeys } = this.configForProcesses();
      const program = await runProgram({
        params,
        config: plain,
        secretKeys,
        env: { ...this.programEnv, ...(opts.env ?? {}) },
        handlers: {
          register: (req) => op.register(req),
          read: (req) => op.read(req),
          outputs: (urn, outputs) => op.setOutputs(urn, outputs),
        },
        onLog: log,
        timeoutMs: this.opts.timeoutMs ?? 60000,
        nodeBin: this.opts.nodeBin,
      });
      await op.finish(program.ok);
      const extra: string[] = [];
      // A failed step also fails the program; report the program's error only when it says something new.
      if (!program.ok && program.error && !op.errors.some((e) => program.error!.includes(e) || e.includes(program.error!))) {
        extra.push(`program failed: ${program.error}`);
      } else if (!program.ok && !program.error && op.errors.length === 0) {
        extra.push("program failed");
      }
      if (!preview) {
        this.resources = op.finalState();
        this.writeStateFile();
      }
      const outputs = preview ? toOutputValues(op.stackOutputs) : this.outputs();
      return finish(op, { outputs, extraErrors: extra });
    });
  }

  private configForProcesses(): { plain: Record<string, string>; secretKeys: string[]; args: PropertyMap } {
    const plain: Record<string, string> = {};
    const args: PropertyMap = {};
    const secretKeys: string[] = [];
    for (const [k, e] of this.config) {
      plain[k] = e.value;
      args[k] = e.secret ? secret(e.value) : e.value;
      if (e.secret) secretKeys.push(k);
    }
    return { plain, secretKeys, args };
  }

  private async startSession(log: (e: LogEntry) => void): Promise<ProviderSession> {
    const { plain, secretKeys, args } = this.configForProcesses();
    const proc = await startProviderProcess({
      cwd: this.workDir,
      project: this.project,
      config: plain,
      secretKeys,
      engineAddress: ENGINE_ADDRESS,
      env: this.opts.providerEnv,
      nodeBin: this.opts.nodeBin,
      onLog: log,
    });
    const session = new ProviderSession(this.rpc, proc, {
      engineAddress: ENGINE_ADDRESS,
      programDirectory: this.workDir,
      rpcTimeoutMs: this.opts.rpcTimeoutMs,
    });
    try {
      await session.startUp({ providerUrn: this.providerUrn, providerId: this.providerId, args, plainConfig: plain });
      return session;
    } catch (e) {
      session.close();
      await proc.stop();
      throw e;
    }
  }

  private async operation(
    kind: OperationKind,
    body: (
      ctx: EngineContext,
      finish: (
        op: { steps: StepResult[]; failures: CheckFailure[]; errors: string[] },
        extra: { outputs: Record<string, OutputValue>; extraErrors?: string[] },
      ) => OperationResult,
      log: (e: LogEntry) => void,
    ) => Promise<OperationResult>,
  ): Promise<OperationResult> {
    if (this.disposed) throw new Error("TestStack was disposed");
    const logs: LogEntry[] = [];
    const log = (e: LogEntry): void => {
      logs.push(e);
    };
    let session: Promise<ProviderSession> | undefined;
    const ctx: EngineContext = {
      preview: kind === "preview",
      session: () => (session ??= this.startSession(log)),
      providerRef: `${this.providerUrn}::${this.providerId}`,
      parallel: this.opts.parallel ?? 1,
      log,
    };
    const finish = (
      op: { steps: StepResult[]; failures: CheckFailure[]; errors: string[] },
      extra: { outputs: Record<string, OutputValue>; extraErrors?: string[] },
    ): OperationResult => {
      const errors = [...op.errors, ...(extra.extraErrors ?? [])];
      for (const message of errors) log({ source: "engine", severity: "error", message });
      return makeResult({
        kind,
        steps: op.steps,
        outputs: extra.outputs,
        failures: op.failures,
        ...(errors.length ? { error: errors.join("\n") } : {}),
        logs,
        rpcs: [],
      });
    };
    let result: OperationResult | undefined;
    try {
      result = await body(ctx, finish, log);
    } finally {
      const s = session ? await session.catch(() => undefined) : undefined;
      if (s) {
        s.close();
        await s.process.stop();
        if (result) {
          result.rpcs.push(...s.calls);
          result.providerPid = s.process.pid;
        }
      }
    }
    return result;
  }

  private writeStateFile(): void {
    fs.mkdirSync(path.dirname(this.statePath), { recursive: true });
    fs.writeFileSync(this.statePath, this.exportState());
  }
}
