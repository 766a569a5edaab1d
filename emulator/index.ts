/**
 * The LiveMessage emulator as a library (`pulumi-alicloud-livemessage/emulator`):
 *
 * ```ts
 * const emu = await startEmulator({ port: 0 });
 * // point the provider or any Alibaba SDK at emu.url with DEFAULT_CREDENTIALS …
 * await emu.stop();
 * ```
 */
export { startEmulator, DEFAULT_CREDENTIALS, DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES } from "./server";
export type { Emulator, EmulatorOptions, EmulatorAccountInfo } from "./server";
export type { EmulatorCredential } from "./auth";
export { deriveAccountId } from "./auth";
export { EmulatorError, Errors, isEmulatorError } from "./errors";
export { FAULT_MODES } from "./faults";
export type { FaultMode, FaultRule, FaultRuleState } from "./faults";
export { DataDirLockedError } from "./wal";
export { ADMIN_PREFIX } from "./admin";
export type { LiveMessageService, ServiceOptions, CallContext, Command, MembershipChange, WireParams } from "./service/types";
