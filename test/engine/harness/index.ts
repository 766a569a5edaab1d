// Engine-protocol test harness: runs Pulumi programs against the real dynamic-provider process the way the
// Pulumi CLI does, without the CLI. See README.md in this folder.
export { TestStack, type OperationOptions, type TestStackOptions } from "./test-stack";
export { findPulumiCli } from "./pulumi-cli";
export type {
  CheckFailure,
  ExportedDeployment,
  OperationKind,
  OperationResult,
  ResourceState,
  StepOp,
  StepResult,
} from "./state";
export type { LogEntry, LogSeverity, LogSource } from "./logs";
export type { RpcMethod, RpcRecord } from "./provider-session";
export {
  containsSecrets,
  isSecret,
  isUnknown,
  PROVIDER_KEY,
  secret,
  SECRET_SIG,
  SIG_KEY,
  stripSecrets,
  UNKNOWN,
  type OutputValue,
  type PropertyMap,
  type PropertyValue,
} from "./wire";
