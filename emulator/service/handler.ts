/**
 * The shape of one emulated operation. Each module in `./operations/` (named exactly after its action, spec §1)
 * exports one handler. A handler must read every parameter (throwing InputInvalid) and perform every lookup and
 * check before it changes anything, so a failing call leaves the state untouched (see ./types.ts, durability).
 */
import type { ParamReader } from "./params";
import type { Store } from "./state";
import type { CallContext } from "./types";

export type ResponseBody = Record<string, unknown>;

export interface OperationHandler {
  readonly action: string;
  /** True when a successful call may change state (it is then write-ahead logged). */
  readonly mutating: boolean;
  run(store: Store, params: ParamReader, ctx: CallContext): ResponseBody;
}

export function defineHandler(handler: OperationHandler): OperationHandler {
  return handler;
}
