/**
 * The shape of one emulated operation. Each module in `./operations/` (named exactly after its action, spec §1)
 * exports one handler. Parameters are validated against the action's row of `../spec/operations.ts` before `run`;
 * a handler performs every lookup and check before it changes anything, so a failing call leaves the state
 * untouched (see ./types.ts, durability).
 */
import { operationRule, type OperationRule } from "../spec/operations";
import type { ParamReader } from "./params";
import type { Store } from "./state";
import type { CallContext } from "./types";

export type ResponseBody = Record<string, unknown>;

export interface OperationHandler {
  readonly action: string;
  /** The action's row of the operation table (parameters, QPS, method). */
  readonly rule: OperationRule;
  /** True when a successful call may change state (it is then write-ahead logged); from the table. */
  readonly mutating: boolean;
  run(store: Store, params: ParamReader, ctx: CallContext): ResponseBody;
}

export function defineHandler(handler: { readonly action: string; run: OperationHandler["run"] }): OperationHandler {
  const rule = operationRule(handler.action);
  if (!rule) throw new Error(`emulator bug: ${handler.action} has no row in emulator/spec/operations.ts`);
  return { action: handler.action, rule, mutating: rule.mutating, run: handler.run };
}
