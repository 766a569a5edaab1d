/**
 * Test harness for the service layer: calls `execute` with wire-form parameters (everything a string, arrays
 * comma-joined), an injectable clock and a fresh seed per call, and asserts on `EmulatorError`s.
 */
import { EmulatorError } from "../../errors";
import { mulberry32 } from "../../random";
import { createService } from "../index";
import type { CallContext, LiveMessageService, WireParams } from "../types";

export type TestParam = string | number | boolean | readonly string[] | undefined;
export type TestParams = Readonly<Record<string, TestParam>>;
export type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
export const DAY_MS = 24 * 3600 * 1000;

export function toWire(params: TestParams): WireParams {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return out;
}

export class Harness {
  readonly service: LiveMessageService;
  now = T0;
  account = "1000000000000001";
  private seed = 1;

  constructor(service?: LiveMessageService) {
    this.service = service ?? createService({ accounts: ["1000000000000001", "1000000000000002"] });
  }

  ctx(account = this.account): CallContext {
    const seed = this.seed++;
    return { accountId: account, accessKeyId: `key-${account}`, now: this.now, seed, random: mulberry32(seed) };
  }

  advance(ms: number): void {
    this.now += ms;
  }

  call(action: string, params: TestParams = {}, account?: string): Body {
    return this.service.execute(action, toWire(params), this.ctx(account));
  }

  /** Runs a call that must fail; returns the error. */
  fail(action: string, params: TestParams = {}, account?: string): EmulatorError {
    try {
      this.call(action, params, account);
    } catch (e) {
      if (e instanceof EmulatorError) return e;
      throw e;
    }
    throw new Error(`${action} was expected to fail but succeeded`);
  }

  createApp(params: TestParams = {}, account?: string): string {
    return this.call("CreateLiveMessageApp", params, account).AppId as string;
  }

  createGroup(appId: string, groupId: string, params: TestParams = {}): Body {
    return this.call("CreateLiveMessageGroup", { AppId: appId, GroupId: groupId, ...params });
  }

  join(appId: string, groupId: string, userId: string, userInfo?: string): void {
    this.service.join({ appId, groupId, userId, ...(userInfo !== undefined ? { userInfo } : {}) }, this.now);
  }

  leave(appId: string, groupId: string, userId: string): void {
    this.service.leave({ appId, groupId, userId }, this.now);
  }

  /** An app with one active group (one joined user), ready for messages. */
  activeGroup(groupId = "g1", appParams: TestParams = {}): { appId: string; groupId: string } {
    const appId = this.createApp(appParams);
    this.createGroup(appId, groupId);
    this.join(appId, groupId, "viewer1");
    return { appId, groupId };
  }
}

/** Asserts the error's code and HTTP status, and that its message names `mention` when given. */
export function expectError(e: EmulatorError, code: string, status: number, mention?: string): void {
  expect({ code: e.code, status: e.httpStatus }).toEqual({ code, status });
  if (mention !== undefined) expect(e.message).toContain(mention);
}
