// Runs INSIDE the program child process (loaded through ts-hook.js): the "language host". The program runs
// under `pulumi.runtime.setMocks`; the mocks' `newResource` forwards each registration, with the options the
// mock API leaves out (dependencies, deleteBeforeReplace, import, additionalSecretOutputs…), to the harness,
// which drives the live provider process and answers with the real ID and outputs.
import * as path from "path";
import type * as PulumiModule from "@pulumi/pulumi";
import type {
  ReadResourceRequest,
  RegisterResourceOutputsRequest,
  RegisterResourceRequest,
} from "@pulumi/pulumi/proto/resource_pb";
import {
  makeUrn,
  PROGRAM_PARAMS_ENV,
  type ChildMessage,
  type HostMessage,
  type ProgramParams,
  type ReadRequest,
  type RegistrationRequest,
} from "./protocol";
import type { PropertyMap } from "./wire";

type Pulumi = typeof PulumiModule;
type Callback = (err: unknown, resp?: unknown) => void;

interface MonitorLike {
  registerResource(req: RegisterResourceRequest, cb: Callback): Promise<void>;
  readResource(req: ReadResourceRequest, cb: Callback): Promise<void>;
  registerResourceOutputs(req: RegisterResourceOutputsRequest, cb: Callback): void;
  newUrn(parent: string, type: string, name: string): string;
}

const params = JSON.parse(process.env[PROGRAM_PARAMS_ENV] ?? "null") as ProgramParams;
if (!params || typeof process.send !== "function") {
  throw new Error("program-runner.ts must be started by the engine harness (IPC channel and parameters missing)");
}

const send = (msg: ChildMessage): void => {
  process.send!(msg);
};

// ---- requests to the harness --------------------------------------------------------------------------------
let nextSeq = 1;
const pending = new Map<number, { resolve: (v: { id?: string; outputs: PropertyMap }) => void; reject: (e: Error) => void }>();
process.on("message", (raw: unknown) => {
  const msg = raw as HostMessage;
  if (msg?.t !== "reply") return;
  const p = pending.get(msg.seq);
  if (!p) return;
  pending.delete(msg.seq);
  if (msg.ok) p.resolve({ id: msg.id, outputs: msg.outputs });
  else p.reject(new Error(msg.error));
});

function ask(kind: "register", req: RegistrationRequest): Promise<{ id?: string; outputs: PropertyMap }>;
function ask(kind: "read", req: ReadRequest): Promise<{ id?: string; outputs: PropertyMap }>;
function ask(kind: "register" | "read", req: RegistrationRequest | ReadRequest): Promise<{ id?: string; outputs: PropertyMap }> {
  const seq = nextSeq++;
  return new Promise((resolve, reject) => {
    pending.set(seq, { resolve, reject });
    if (kind === "register") send({ t: "register", seq, req: req as RegistrationRequest });
    else send({ t: "read", seq, req: req as ReadRequest });
  });
}

// ---- load @pulumi/pulumi exactly as the program will (same instance) ---------------------------------------
const pulumiRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [params.programDir] }));
const pulumi = require(pulumiRoot) as Pulumi;
const settings = require(path.join(pulumiRoot, "runtime/settings")) as {
  getMonitor(): unknown;
  waitForRPCs(): Promise<void>;
};

function toJs(s: { toJavaScript(): unknown } | undefined): PropertyMap {
  return (s ? s.toJavaScript() : {}) as PropertyMap;
}

function registration(req: RegisterResourceRequest, urn: string): RegistrationRequest {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v, k) => {
    propertyDependencies[k] = v.getUrnsList();
  });
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent(),
    inputs: toJs(req.getObject()),
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    provider: req.getProvider(),
    importId: req.getImportid(),
    deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
    protect: req.hasProtect() ? req.getProtect() : undefined,
    retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    ignoreChanges: req.getIgnorechangesList(),
    replaceOnChanges: req.getReplaceonchangesList(),
    deletedWith: req.getDeletedwith(),
  };
}

// MockMonitor calls `mocks.newResource` synchronously from registerResource/readResource (before its first
// await), so the raw request captured just before is the one this call belongs to.
let capturedRegister: RegisterResourceRequest | undefined;
let capturedRead: ReadResourceRequest | undefined;

const urnOf = (parent: string, type: string, name: string): string =>
  makeUrn(params.stack, params.project, parent, type, name);

const mocks: PulumiModule.runtime.Mocks = {
  async newResource(args) {
    const reg = capturedRegister;
    const rd = capturedRead;
    capturedRegister = undefined;
    capturedRead = undefined;
    if (rd) {
      const urn = urnOf(rd.getParent(), rd.getType(), rd.getName());
      const reply = await ask("read", {
        urn,
        type: rd.getType(),
        name: rd.getName(),
        id: rd.getId(),
        parent: rd.getParent(),
        inputs: toJs(rd.getProperties()),
        dependencies: rd.getDependenciesList(),
        provider: rd.getProvider(),
        additionalSecretOutputs: rd.getAdditionalsecretoutputsList(),
      });
      return { id: reply.id ?? args.id, state: reply.outputs };
    }
    if (!reg) throw new Error(`engine harness: no request captured for ${args.type} ${args.name}`);
    const reply = await ask("register", registration(reg, urnOf(reg.getParent(), reg.getType(), reg.getName())));
    return { id: reply.id, state: reply.outputs };
  },
  call(args) {
    throw new Error(`invoke ${args.token}: the engine harness does not implement invokes`);
  },
};

const unhandled: string[] = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason instanceof Error ? reason.message : String(reason));
});

async function main(): Promise<void> {
  await pulumi.runtime.setMocks(mocks, params.project, params.stack, params.preview, params.organization);
  const monitor = settings.getMonitor() as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.newUrn = urnOf;
  monitor.registerResource = (req, cb) => {
    capturedRegister = req;
    try {
      return register(req, cb);
    } finally {
      capturedRegister = undefined;
    }
  };
  monitor.readResource = (req, cb) => {
    capturedRead = req;
    try {
      return read(req, cb);
    } finally {
      capturedRead = undefined;
    }
  };
  monitor.registerResourceOutputs = (req, cb) => {
    send({ t: "outputs", urn: req.getUrn(), outputs: toJs(req.getOutputs()) });
    registerOutputs(req, cb);
  };

  const entry = params.main ? path.resolve(params.programDir, params.main) : params.programDir;
  await pulumi.runtime.runInPulumiStack(async () => {
    // Like `pulumi-language-nodejs` (cmd/run/run.ts): a default export wins, a function export is invoked.
    let exported = require(entry) as unknown;
    const mod = exported as { __esModule?: boolean; default?: unknown };
    if (mod && mod.__esModule && Object.getOwnPropertyDescriptor(mod, "default") !== undefined) exported = mod.default;
    if (typeof exported === "function") exported = await (exported as () => unknown)();
    return exported as Record<string, unknown> | undefined;
  });
  await settings.waitForRPCs();
}

function finish(ok: boolean, error?: string): void {
  const msg: ChildMessage = ok ? { t: "done", ok } : { t: "done", ok, error };
  process.exitCode = ok ? 0 : 1;
  // Exit once the message is flushed; stdout/stderr are pipes, synchronous on Linux, so no output is lost.
  process.send!(msg, undefined, {}, () => setImmediate(() => process.exit()));
}

main().then(
  () => finish(unhandled.length === 0, unhandled.join("\n") || undefined),
  (e: unknown) => {
    if (e instanceof Error && e.stack) console.error(e.stack);
    finish(false, e instanceof Error ? e.message : String(e));
  },
);
