/**
 * Fault injection (admin `POST /_emulator/faults`): per-action rules that answer an error without executing, drop
 * the connection after the mutation is durable, or delay the call. Decisions come from a PRNG seeded from the
 * emulator's `seed`, re-seeded whenever the rules are replaced, so a run is reproducible.
 */
import { z } from "zod";
import { mulberry32 } from "./random";
import { EmulatorError, Errors } from "./errors";

export const FAULT_MODES = ["error", "drop-after-commit", "latency"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** Upper bound of an injected delay, so a typo cannot hang a test suite for hours. */
export const MAX_FAULT_LATENCY_MS = 120_000;
/** Salt that separates the fault PRNG stream from the per-call seed stream. */
const FAULT_SEED_SALT = 0x5eed_fa17;

export interface FaultRule {
  /** An action name, or `*` for every action. */
  readonly action: string;
  /** Chance in [0, 1] that a matching call is hit (default 1). */
  readonly probability: number;
  readonly mode: FaultMode;
  /** `error` mode: the code answered (default `ServiceUnavailable`). */
  readonly code: string;
  /** `error` mode: the HTTP status (default: the code's real status, else 503/500). */
  readonly status: number;
  /** `latency` mode: the delay before the call runs. */
  readonly latencyMs: number;
  /** Apply at most this many times (default: unlimited). */
  readonly count?: number;
}

export interface FaultRuleState extends FaultRule {
  /** Applications left when `count` was given. */
  readonly remaining?: number;
  readonly fired: number;
}

const ruleSchema = z
  .object({
    action: z.string().min(1),
    probability: z.number().min(0).max(1).optional(),
    mode: z.enum(FAULT_MODES),
    code: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9.]*$/, "code must be letters, digits and dots, like ServiceUnavailable or Throttling.User")
      .optional(),
    status: z.number().int().min(400).max(599).optional(),
    latencyMs: z.number().int().min(0).max(MAX_FAULT_LATENCY_MS).optional(),
    count: z.number().int().min(1).optional(),
  })
  .strict();
const bodySchema = z.object({ rules: z.array(ruleSchema) }).strict();

/** Real status and message of codes one may want to inject (spec §11); other codes get a generic message. */
const KNOWN_FAULTS: Readonly<Record<string, () => EmulatorError>> = {
  ServiceUnavailable: () => Errors.serviceUnavailable(),
  InternalError: () => Errors.internalError(),
  ServerError: () => Errors.serverError(),
  "Throttling.User": () => Errors.throttlingUser(1000),
};

export function faultError(rule: FaultRule): EmulatorError {
  const known = KNOWN_FAULTS[rule.code]?.();
  return known
    ? new EmulatorError(known.code, rule.status, known.message, known.headers)
    : Errors.injectedFault(rule.code, rule.status);
}

/** Validates an admin request body; throws `InvalidAdminRequest` (400) with a readable list of problems. */
export function parseFaultRules(body: unknown, actions: ReadonlySet<string>): FaultRule[] {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    throw Errors.adminBadRequest(
      `Invalid fault rules. Expected {"rules":[{"action":"<Action>|*","mode":"error|drop-after-commit|latency",` +
        `"probability"?:0..1,"code"?,"status"?:400..599,"latencyMs"?,"count"?}]}:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data.rules.map((r, i) => {
    if (r.action !== "*" && !actions.has(r.action)) {
      throw Errors.adminBadRequest(`Invalid fault rules: rules[${i}].action "${r.action}" is not an action of this service (or "*").`);
    }
    const code = r.code ?? "ServiceUnavailable";
    const status = r.status ?? KNOWN_FAULTS[code]?.().httpStatus ?? 503;
    return {
      action: r.action,
      probability: r.probability ?? 1,
      mode: r.mode,
      code,
      status,
      latencyMs: r.latencyMs ?? 0,
      ...(r.count !== undefined ? { count: r.count } : {}),
    };
  });
}

interface LiveRule {
  readonly rule: FaultRule;
  remaining: number | undefined;
  fired: number;
}

export class FaultInjector {
  private rules: LiveRule[] = [];
  private random: () => number;

  constructor(private readonly seed: number) {
    this.random = mulberry32(seed ^ FAULT_SEED_SALT);
  }

  /** Replaces the rule set and restarts the decision stream (same seed + same rules + same calls = same faults). */
  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, remaining: rule.count, fired: 0 }));
    this.random = mulberry32(this.seed ^ FAULT_SEED_SALT);
  }

  clear(): void {
    this.set([]);
  }

  /** Appends one rule; the others keep their counts and the decision stream goes on (the dashboard's "add"). */
  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.count, fired: 0 });
  }

  /** Removes the rule at `index` (as listed); false when there is none. The others keep their state. */
  remove(index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.rules.length) return false;
    this.rules.splice(index, 1);
    return true;
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** The rule that hits this call, if any: the first matching rule whose draw falls under its probability. */
  decide(action: string): FaultRule | undefined {
    for (const live of this.rules) {
      if (live.rule.action !== "*" && live.rule.action !== action) continue;
      if (live.remaining === 0) continue;
      // One draw per matching rule, even at probability 0 or 1, keeps the stream position predictable.
      if (this.random() >= live.rule.probability) continue;
      if (live.remaining !== undefined) live.remaining--;
      live.fired++;
      return live.rule;
    }
    return undefined;
  }

  list(): FaultRuleState[] {
    return this.rules.map((l) => ({ ...l.rule, ...(l.remaining !== undefined ? { remaining: l.remaining } : {}), fired: l.fired }));
  }
}
