// Runs a Pulumi program in its own child process (like the CLI's language host) and serves its registrations.
import { fork } from "child_process";
import * as path from "path";
import { LineSplitter, parseLogLine, type LogEntry } from "./logs";
import { inheritedEnv } from "./provider-process";
import {
  PROGRAM_PARAMS_ENV,
  type ChildMessage,
  type HostMessage,
  type ProgramParams,
  type ReadRequest,
  type RegistrationRequest,
} from "./protocol";
import type { PropertyMap } from "./wire";

export interface ProgramHandlers {
  register(req: RegistrationRequest): Promise<{ id?: string; outputs: PropertyMap }>;
  read(req: ReadRequest): Promise<{ id?: string; outputs: PropertyMap }>;
  outputs(urn: string, outputs: PropertyMap): void;
}

export interface ProgramRunOptions {
  params: ProgramParams;
  /** Config as the CLI passes it to the language host: plain values plus the list of secret keys. */
  config: Record<string, string>;
  secretKeys: readonly string[];
  env: Record<string, string>;
  handlers: ProgramHandlers;
  onLog: (entry: LogEntry) => void;
  timeoutMs: number;
  nodeBin?: string;
}

export interface ProgramRunResult {
  ok: boolean;
  error?: string;
  exitCode: number | null;
}

const RUNNER = path.join(__dirname, "program-runner.ts");
const HOOK = path.join(__dirname, "ts-hook.js");

export function runProgram(opts: ProgramRunOptions): Promise<ProgramRunResult> {
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    ...opts.env,
    [PROGRAM_PARAMS_ENV]: JSON.stringify(opts.params),
    PULUMI_CONFIG: JSON.stringify(opts.config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(opts.secretKeys),
    PULUMI_NODEJS_PROJECT: opts.params.project,
    PULUMI_NODEJS_STACK: opts.params.stack,
    PULUMI_NODEJS_ORGANIZATION: opts.params.organization,
    PULUMI_NODEJS_DRY_RUN: String(opts.params.preview),
  };
  const child = fork(RUNNER, [], {
    cwd: opts.params.programDir,
    env,
    execPath: opts.nodeBin ?? process.execPath,
    execArgv: ["--enable-source-maps", "-r", HOOK],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "json",
  });
  const out = new LineSplitter((line) => opts.onLog(parseLogLine("program", "stdout", line, undefined)));
  const err = new LineSplitter((line) => opts.onLog(parseLogLine("program", "stderr", line, undefined)));
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (d: string) => out.push(d));
  child.stderr?.on("data", (d: string) => err.push(d));

  const reply = (msg: HostMessage): void => {
    if (child.connected) child.send(msg);
  };
  // Steps still running when the program exits (e.g. it crashed) finish before the operation does.
  const inflight = new Set<Promise<unknown>>();
  const serve = (seq: number, work: Promise<{ id?: string; outputs: PropertyMap }>): void => {
    const settled = work.then(
      (r) => reply({ t: "reply", seq, ok: true, ...(r.id !== undefined ? { id: r.id } : {}), outputs: r.outputs }),
      (e: unknown) => reply({ t: "reply", seq, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
    inflight.add(settled);
    void settled.finally(() => inflight.delete(settled));
  };

  return new Promise<ProgramRunResult>((resolve) => {
    let done: { ok: boolean; error?: string } | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.on("message", (raw: unknown) => {
      const msg = raw as ChildMessage;
      switch (msg.t) {
        case "register":
          serve(msg.seq, opts.handlers.register(msg.req));
          break;
        case "read":
          serve(msg.seq, opts.handlers.read(msg.req));
          break;
        case "outputs":
          opts.handlers.outputs(msg.urn, msg.outputs);
          break;
        case "done":
          done = { ok: msg.ok, ...(msg.error ? { error: msg.error } : {}) };
          break;
      }
    });
    child.once("error", (e) => {
      done ??= { ok: false, error: `program process failed: ${e.message}` };
    });
    // "close" (not "exit"): stdio and the IPC channel are drained, so no message is lost.
    child.once("close", async (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      out.flush();
      err.flush();
      await Promise.allSettled([...inflight]);
      if (timedOut) return resolve({ ok: false, error: `program did not finish within ${opts.timeoutMs} ms`, exitCode: code });
      if (!done) {
        return resolve({ ok: false, error: `program exited unexpectedly (code=${code} signal=${signal})`, exitCode: code });
      }
      resolve({ ...done, ok: done.ok && code === 0, exitCode: code });
    });
  });
}
