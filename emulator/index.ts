/**
 * The LiveMessage emulator as a library (`pulumi-alicloud-livemessage/emulator`):
 *
 * ```ts
 * const emu = await startEmulator({ port: 0 });
 * // point the provider or any Alibaba SDK at emu.url with DEFAULT_CREDENTIALS …
 * await emu.stop();
 * ```
 */
export { startEmulator, repairEmulatorData, ADMIN_TOKEN_ENV, DEFAULT_CREDENTIALS, DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES } from "./server";
export type { Emulator, EmulatorOptions, EmulatorAccountInfo } from "./server";
export type { EmulatorCredential } from "./auth";
export { deriveAccountId } from "./auth";
export { EmulatorError, Errors, isEmulatorError } from "./errors";
export { FAULT_MODES } from "./faults";
export type { FaultMode, FaultRule, FaultRuleState } from "./faults";
export { DataDirLockedError, EmulatorStartError } from "./wal";
export { DataDirDamagedError } from "./datadir";
export type { RepairReport } from "./datadir";
export { ADMIN_ENDPOINTS, ADMIN_PREFIX } from "./admin";
export type { RequestEntry, RequestQuery } from "./metrics";
export { ERROR_TABLE } from "./errors";
export type { LiveMessageService, ServiceOptions, CallContext, Command, MembershipChange, WireParams } from "./service/types";
