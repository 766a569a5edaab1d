/**
 * The contract between the emulator's HTTP layer (`emulator/server.ts`, signatures, throttling, faults, admin
 * endpoints, durability) and its service layer (`emulator/service/`: the LiveMessage data model and the 29
 * operations of spec §1).
 *
 * Durability is command logging: the HTTP layer appends every *successful mutating* call — with the `now` and
 * `seed` it was executed with — to a write-ahead log and fsyncs it before the response is sent; a restart replays
 * the log on top of the last snapshot. That is why a handler must be deterministic: it may only read the clock
 * through `ctx.now` and randomness through `ctx.random` (seeded from `ctx.seed`), and it must validate everything
 * before it changes anything (a call that throws leaves the state untouched).
 */
import type { ServiceViews } from "./views";

/** Parameters as they arrived, merged from query string and form body, every value a string. `Name.N` array
 * parameters are already folded into `Name` = comma-joined values (in N order) by the HTTP layer. */
export type WireParams = Readonly<Record<string, string>>;

export interface CallContext {
  /** The account the access key belongs to (each configured key pair is its own account). */
  readonly accountId: string;
  /** The access key that signed the call (becomes e.g. nothing visible; kept for completeness). */
  readonly accessKeyId: string;
  /** Wall-clock time of the call, ms since the epoch (from the injectable clock). Responses use seconds. */
  readonly now: number;
  /** Per-call random seed; `random()` below is derived from it, so a replay draws the same numbers. */
  readonly seed: number;
  /** Deterministic PRNG in [0, 1) seeded from `seed`. */
  readonly random: () => number;
}

/** A user joining or leaving a group (admin endpoint; the real service learns this from client SDKs). */
export interface MembershipChange {
  readonly appId: string;
  readonly groupId: string;
  readonly userId: string;
  readonly userInfo?: string;
}

/** One entry of the write-ahead log. */
export type Command =
  | { readonly kind: "call"; readonly accountId: string; readonly accessKeyId: string; readonly action: string; readonly params: WireParams; readonly now: number; readonly seed: number }
  | { readonly kind: "join"; readonly change: MembershipChange; readonly now: number }
  | { readonly kind: "leave"; readonly change: MembershipChange; readonly now: number }
  | { readonly kind: "reset"; readonly now: number };

export interface LiveMessageService {
  /** Every action this service implements (the 29 LiveMessage operations). */
  readonly actions: ReadonlySet<string>;
  /** True for actions that can change state (they are logged when they succeed). */
  isMutating(action: string): boolean;
  /**
   * Runs one API call and returns the success body *without* `RequestId` (the HTTP layer adds it). Throws
   * `EmulatorError` (see `../errors.ts`) for documented failures. Never returns a `Code` field.
   */
  execute(action: string, params: WireParams, ctx: CallContext): Record<string, unknown>;
  /** Admin: a user joins a group (throws `EmulatorError` ResourceNotExist if app or group is unknown). */
  join(change: MembershipChange, now: number): void;
  /** Admin: a user leaves a group (no error if the user was not in it). */
  leave(change: MembershipChange, now: number): void;
  /** Admin: forget everything. */
  reset(): void;
  /** JSON-serializable dump of the whole state; `restore(snapshot())` reproduces it exactly. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Read-only views for the dashboard (optional: a custom service without them answers 501 on those endpoints). */
  readonly views?: ServiceViews;
}

export interface ServiceOptions {
  /** Account ids known to the emulator (one per configured key pair). */
  readonly accounts?: readonly string[];
}
