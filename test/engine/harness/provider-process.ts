// Starts `@pulumi/pulumi/cmd/dynamic-provider` exactly as the engine starts the pulumi-nodejs provider plugin:
// argv = [engineAddress], cwd = program directory, env with the project and the stack config, the port on the
// first stdout line, everything after it (and all of stderr) is log output, SIGKILL at the end.
import { spawn, type ChildProcess } from "child_process";
import { LineSplitter, parseLogLine, type LogEntry } from "./logs";

export interface ProviderProcessOptions {
  /** Program directory: the serialized `__provider` resolves `require("pkg")` from here. */
  cwd: string;
  project: string;
  /** Full stack config, plain values (the engine decrypts secrets for PULUMI_CONFIG). */
  config: Record<string, string>;
  secretKeys: readonly string[];
  /** Only checked for presence by the dynamic provider; no engine server is needed. */
  engineAddress?: string;
  env?: Record<string, string>;
  nodeBin?: string;
  /** Give up waiting for the port after this long (a cold start is ~0.6 s on 2 cores). */
  startTimeoutMs?: number;
  /** Receives every log line (stdout after the port, all of stderr) as it arrives. */
  onLog?: (entry: LogEntry) => void;
}

/** Environment variables of the harness's own process that must not leak into child processes. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("PULUMI_NODEJS_") || k.startsWith("PULUMI_CONFIG") || k === "PULUMI_PROJECT") continue;
    if (k === "NODE_OPTIONS") continue; // jest/IDE loaders must not change how the child loads code
    env[k] = v;
  }
  return env;
}

export class ProviderProcess {
  readonly logs: LogEntry[] = [];
  onLog: ((entry: LogEntry) => void) | undefined;
  /** URNs of the RPCs currently in flight, by call token: used to attribute log lines to a resource. */
  private readonly active = new Map<number, string | undefined>();
  private nextToken = 1;
  private exited = false;

  constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly startMs: number,
  ) {
    child.once("exit", () => {
      this.exited = true;
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The URN a log line written now belongs to: only unambiguous while exactly one RPC is in flight. */
  currentUrn(): string | undefined {
    if (this.active.size !== 1) return undefined;
    return [...this.active.values()][0];
  }

  beginCall(urn: string | undefined): number {
    const token = this.nextToken++;
    this.active.set(token, urn);
    return token;
  }

  /**
   * Ends a call after the pipes had a chance to deliver what the provider wrote before replying: stdout/stderr
   * pipes are synchronous on Linux, so those bytes are readable no later than the gRPC reply, and are consumed in
   * the same poll phase; one `setImmediate` lets that phase finish.
   */
  async endCall(token: number): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.active.delete(token);
  }

  pushLine(stream: "stdout" | "stderr", line: string): void {
    const entry = parseLogLine("provider", stream, line, this.currentUrn());
    this.logs.push(entry);
    this.onLog?.(entry);
  }

  /** What the engine does when it is done with a plugin. */
  async stop(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGKILL");
    });
  }
}

export function startProviderProcess(opts: ProviderProcessOptions): Promise<ProviderProcess> {
  // Same resolution as the `pulumi-resource-pulumi-nodejs` shim: from the program directory.
  const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [opts.cwd] });
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    ...(opts.env ?? {}),
    PULUMI_NODEJS_PROJECT: opts.project,
    PULUMI_PROJECT: opts.project,
    PULUMI_CONFIG: JSON.stringify(opts.config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(opts.secretKeys),
  };
  const t0 = process.hrtime.bigint();
  const child = spawn(opts.nodeBin ?? process.execPath, [script, opts.engineAddress ?? "127.0.0.1:1"], {
    cwd: opts.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise<ProviderProcess>((resolve, reject) => {
    let proc: ProviderProcess | undefined;
    const early: { stream: "stdout" | "stderr"; line: string }[] = [];
    const deliver = (stream: "stdout" | "stderr", line: string): void => {
      if (proc) proc.pushLine(stream, line);
      else early.push({ stream, line });
    };
    let firstLineSeen = false;
    const stdout = new LineSplitter((line) => {
      if (firstLineSeen) return deliver("stdout", line);
      firstLineSeen = true;
      // The engine reads the first line, trimmed, as the port; anything else is a broken plugin.
      const port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        child.kill("SIGKILL");
        clearTimeout(timer);
        reject(new Error(`provider wrote an invalid port to stdout: ${JSON.stringify(line)}`));
        return;
      }
      clearTimeout(timer);
      proc = new ProviderProcess(child, port, Number(process.hrtime.bigint() - t0) / 1e6);
      proc.onLog = opts.onLog;
      for (const e of early.splice(0)) proc.pushLine(e.stream, e.line);
      resolve(proc);
    });
    const stderr = new LineSplitter((line) => deliver("stderr", line));
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (d: string) => stdout.push(d));
    child.stderr?.on("data", (d: string) => stderr.push(d));
    child.stdout?.on("end", () => stdout.flush());
    child.stderr?.on("end", () => stderr.flush());
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`provider did not print a port within ${opts.startTimeoutMs ?? 30000} ms`));
    }, opts.startTimeoutMs ?? 30000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      if (proc) return;
      clearTimeout(timer);
      const tail = early.map((e) => e.line).join("\n");
      reject(new Error(`provider exited before printing a port (code=${code} signal=${signal})\n${tail}`));
    });
  });
}
