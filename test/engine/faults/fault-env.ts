// A "lane" of the fault suites: one emulator and one stack (registrations captured from the real program, the real
// dynamic-provider process, the engine harness's step logic — see ./fault-stack.ts), plus what the suites need to
// inject faults: the emulator's fault rules (admin API) and a hook that kills the provider process right before a
// given API call reaches the service — "between two calls": the previous call was answered, this one never runs.
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../../emulator";
import { createService } from "../../../emulator/service";
import type { StoreSnapshot } from "../../../emulator/service/state";
import type { LiveMessageService } from "../../../emulator/service/types";
import { LiveClient } from "../../../provider";
import type { RegistrationRequest } from "../harness/protocol";
import { emulatorAdmin, ensureBuilt } from "../support";
import { FaultStack } from "./fault-stack";

/** One attempt's time limit in the provider under test: short, so that "no answer" faults cost a second, not 30. */
export const RESPONSE_TIMEOUT_MS = 1000;

/** A fault rule as the emulator's admin API takes it (`POST /_emulator/faults`). */
export interface FaultRule {
  action: string;
  mode: "error" | "drop-after-commit" | "latency";
  probability?: number;
  code?: string;
  status?: number;
  latencyMs?: number;
  count?: number;
}

export interface KillPlan {
  /** Kill the provider right before this action would run… */
  action: string;
  /** …the n-th time in this operation (default 1). */
  nth?: number;
}

export interface Lane {
  readonly emu: Emulator;
  readonly stack: FaultStack;
  /** A client for out-of-band changes, as another user or stack would make them. */
  readonly client: LiveClient;
  /** Actions the service executed since the last `resetCalls()`, in order. */
  readonly calls: string[];
  resetCalls(): void;
  setFaults(rules: readonly FaultRule[]): Promise<void>;
  /** Arms a kill for the next operation; `undefined` disarms. Returns whether it fired, via `killed()`. */
  armKill(plan: KillPlan | undefined): void;
  killed(): boolean;
  snapshot(): StoreSnapshot;
  /** A user joins a group (the emulator's admin API), so that it takes messages. */
  join(appId: string, groupId: string, userId: string): Promise<void>;
  /**
   * What the real program registers for `spec` — captured once per distinct spec shape: `spec` may hold
   * placeholders (keys of `values`, e.g. "@appId@") that are replaced in the captured registrations.
   */
  registrations(spec: unknown, values?: Record<string, string>): Promise<RegistrationRequest[]>;
  /** Forgets the stack's state and the service's data: the next row starts from nothing. */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

/** Captured registrations by spec shape, shared by every lane (they run the same program under the same stack name). */
const captured = new Map<string, Promise<RegistrationRequest[]>>();

/** A deep copy of `value` in which every string equal to a key of `values` is replaced by its value. */
function substitute<T>(value: T, values: Record<string, string>): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => (typeof v === "string" && Object.prototype.hasOwnProperty.call(values, v) ? values[v] : v)) as T;
}

export async function startLane(options: { name?: string } = {}): Promise<Lane> {
  ensureBuilt();
  const calls: string[] = [];
  let plan: KillPlan | undefined;
  let seen = 0;
  let fired = false;
  let kill = (): void => undefined;
  const emu = await startEmulator({
    port: 0,
    seed: 9,
    createService: (opts): LiveMessageService => {
      const inner = createService(opts);
      const execute = inner.execute.bind(inner);
      // The service is synchronous: killing here means the provider is gone before the call changes anything.
      inner.execute = (action, params, ctx) => {
        if (plan && action === plan.action && ++seen === (plan.nth ?? 1)) {
          plan = undefined;
          kill();
          fired = true;
          throw new Error(`provider killed before ${action}`);
        }
        calls.push(action);
        return execute(action, params, ctx);
      };
      return inner;
    },
  });
  const stack = FaultStack.create({
    // One stack name for every lane: captured registrations (their URNs) are then valid on all of them.
    name: options.name ?? "faults",
    config: {
      "livemessage:endpoint": emu.url,
      "livemessage:accessKeyId": DEFAULT_CREDENTIALS.accessKeyId,
      "livemessage:responseTimeoutMs": String(RESPONSE_TIMEOUT_MS),
    },
    secretConfig: { "livemessage:accessKeySecret": DEFAULT_CREDENTIALS.accessKeySecret },
  });
  kill = () => stack.killProvider();
  const client = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false });
  const admin = emulatorAdmin(emu.url);
  return {
    emu,
    stack,
    client,
    calls,
    resetCalls: () => void calls.splice(0),
    setFaults: async (rules) => void (await admin("POST", "faults", { rules })),
    armKill: (p) => {
      plan = p;
      seen = 0;
      fired = false;
    },
    killed: () => fired,
    snapshot: () => emu.service.snapshot() as StoreSnapshot,
    join: async (appId, groupId, userId) => void (await admin("POST", `apps/${appId}/groups/${groupId}/members`, { userId })),
    registrations: async (spec, values = {}) => {
      const key = JSON.stringify(spec);
      let regs = captured.get(key);
      if (!regs) {
        regs = stack.capture(spec);
        captured.set(key, regs);
      }
      return substitute(await regs, values);
    },
    reset: async () => {
      plan = undefined;
      await admin("DELETE", "faults");
      await admin("POST", "reset");
      stack.resources = [];
    },
    dispose: async () => {
      await stack.dispose();
      await client.close();
      await emu.stop();
    },
  };
}
